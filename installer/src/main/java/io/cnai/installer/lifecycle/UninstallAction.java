package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.installer.lifecycle.Progress.Phase;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Action;
import io.cnai.revision.StackRevision.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cnai uninstall}: remove every component cnai installed, newest wave first, then the
 * history and the namespaces cnai made. PersistentVolumeClaims and CRDs (with every custom
 * resource) stay unless {@link #deletePvcs} / {@link #deleteCrds}.
 */
public final class UninstallAction {
  private final StackContext ctx;
  private Duration timeout = Duration.ofMinutes(5);
  private boolean deletePvcs;
  private boolean deleteCrds;
  private boolean keepHistory;

  public UninstallAction(StackContext ctx) {
    this.ctx = ctx;
  }

  public UninstallAction timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public UninstallAction deletePvcs(boolean deletePvcs) {
    this.deletePvcs = deletePvcs;
    return this;
  }

  public UninstallAction deleteCrds(boolean deleteCrds) {
    this.deleteCrds = deleteCrds;
    return this;
  }

  /** Keep the stack revisions and record the uninstall as one. */
  public UninstallAction keepHistory(boolean keepHistory) {
    this.keepHistory = keepHistory;
    return this;
  }

  public void run() {
    RevisionStore store = ctx.store();
    List<RevisionStore.Stored> all;
    try {
      all = store.list();
    } catch (CnaiException e) {
      all = List.of();
    }
    Map<String, ComponentSpec> specs = new LinkedHashMap<>();
    all.forEach(s -> s.specs().forEach(c -> specs.put(c.name(), c)));
    List<ComponentSpec> order = new ArrayList<>(specs.values());
    order.sort((a, b) -> b.wave() - a.wave());
    // with --delete-crds: the CRDs, deleted once every component and its custom resources are gone
    Set<ObjectRef> crds = new LinkedHashSet<>();
    Remover remover = new Remover(ctx, timeout).historyGoes(!keepHistory);
    Set<String> namespaces = new LinkedHashSet<>();
    for (ComponentSpec s : order) {
      crds.addAll(remover.remove(s, deletePvcs, deleteCrds));
      namespaces.add(s.namespace());
    }
    for (String leftover : ctx.inventory().components()) {
      crds.addAll(remover.removeInventory(leftover, deletePvcs, deleteCrds));
    }
    if (deleteCrds) {
      // CRDs an earlier uninstall kept (its inventories went with it) are known by cnai's label
      for (ObjectRef crd : ctx.applier().crdsLabelled(Applier.COMPONENT_LABEL)) {
        if (crds.add(crd)) {
          ctx.progress().event(null, Phase.REMOVE, crd.id() + " (kept by an earlier uninstall)");
        }
      }
      for (ObjectRef crd : crds) {
        ctx.applier().delete(crd);
      }
      ctx.inventory().components().forEach(ctx.inventory()::delete);
    }
    if (keepHistory) {
      recordUninstall(store);
    } else {
      all.forEach(s -> store.delete(s.revision().revision()));
      namespaces.add(StackRevision.NAMESPACE);
    }
    deleteNamespaces(namespaces, remover);
    for (ObjectRef crd : deleteCrds ? crds : Set.<ObjectRef>of()) {
      String still = ctx.applier().awaitGone(crd, timeout);
      if (still != null) {
        ctx.progress().event(null, Phase.INFO, crd.id() + " is still being deleted (" + still + ")");
      }
    }
    ctx.progress().event(null, Phase.DONE, "uninstalled " + order.size() + " component(s)");
  }

  private void recordUninstall(RevisionStore store) {
    RevisionStore.Stored last = store.lastDeployed();
    StackRevision.Builder b = StackRevision.builder();
    if (last != null) {
      b.of(last.revision()).allowUnverified(List.of());
    }
    store.create(b.revision(store.nextNumber()).action(Action.UNINSTALL).status(Status.UNINSTALLED).startedAt(ctx.clock().instant())
        .finishedAt(ctx.clock().instant()).message("uninstalled").build(), List.of());
    if (last != null) {
      store.update(last.revision().toBuilder().status(Status.SUPERSEDED).finishedAt(ctx.clock().instant()).build(), last.specs());
    }
  }

  /** Deletes the namespaces cnai made, except one that still holds claims kept without --delete-pvcs. */
  private void deleteNamespaces(Set<String> namespaces, Remover remover) {
    List<String> deleting = new ArrayList<>();
    for (String ns : namespaces) {
      if (!ctx.applier().ownsNamespace(ns)) {
        continue;
      }
      String why = remover.holdsData(ns, deletePvcs, deleteCrds);
      if (why != null) {
        ctx.progress().event(null, Phase.INFO, why);
        continue;
      }
      ctx.progress().event(null, Phase.REMOVE, "namespace " + ns);
      ctx.applier().deleteNamespace(ns);
      deleting.add(ns);
    }
    for (String ns : deleting) {
      if (!ctx.applier().awaitNamespaceGone(ns, timeout)) {
        ctx.progress().event(null, Phase.INFO, "namespace " + ns + " is still terminating");
      }
    }
  }
}
