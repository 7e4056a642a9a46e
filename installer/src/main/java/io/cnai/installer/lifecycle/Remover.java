package io.cnai.installer.lifecycle;

import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.installer.lifecycle.Progress.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes components from the cluster. Users' data stays unless told otherwise: PersistentVolumeClaims
 * (and a Namespace object that still holds kept claims) unless {@code deletePvcs}; CRDs, and with
 * them every custom resource, unless {@code deleteCrds}, and then only after every other object.
 * What an object is, is decided from its kind in the inventory (the rendered objects), never from
 * template text.
 */
final class Remover {
  static final String CRD = "CustomResourceDefinition";
  static final String PVC = "PersistentVolumeClaim";
  static final String NAMESPACE = "Namespace";

  private final StackContext ctx;
  private final Duration timeout;

  Remover(StackContext ctx, Duration timeout) {
    this.ctx = ctx;
    this.timeout = timeout;
  }

  /** Whether the stack's history goes when this removal ends (an uninstall without --keep-history). */
  private boolean historyGoes;

  /**
   * The stack's history goes with this removal: a later 'cnai uninstall --delete-pvcs' finds no
   * revision naming a kept claim, so the message about it names the command that deletes it.
   */
  Remover historyGoes(boolean goes) {
    this.historyGoes = goes;
    return this;
  }

  /**
   * Removes a component: its Helm release and its inventoried objects. Helm is told to keep (in the
   * release record 'helm uninstall' reads) the CRDs always (cnai deletes them itself, last, when
   * asked), and the PersistentVolumeClaims and Namespaces unless {@code deletePvcs}. Claims made by
   * a StatefulSet (labelled {@code app.kubernetes.io/instance=<name>}) or applied from a manifest
   * (label {@code cnai.io/component}) are kept too.
   *
   * @return the CRDs the component's inventory lists: with {@code deleteCrds} the caller deletes
   *     them once every component is gone (they stay in the inventory until then)
   */
  List<ObjectRef> remove(ComponentSpec s, boolean deletePvcs, boolean deleteCrds) {
    ctx.progress().event(s.name(), Phase.REMOVE, s.helm() ? "helm uninstall " + s.name() : "deleting its objects");
    Set<String> kept = new TreeSet<>();
    if (!deletePvcs) {
      ctx.inventory().read(s.name()).stream().filter(r -> PVC.equals(r.kind()) && ctx.applier().get(r) != null)
          .forEach(r -> kept.add(r.namespace() + "/" + r.name()));
    }
    if (s.helm()) {
      ctx.helm().repairPending(s.name(), s.namespace());
      ctx.helm().keepOnUninstall(s.name(), s.namespace(), CRD);
      if (!deletePvcs) {
        kept.addAll(ctx.helm().keepOnUninstall(s.name(), s.namespace(), PVC));
        ctx.helm().keepOnUninstall(s.name(), s.namespace(), NAMESPACE);
      }
      ctx.helm().uninstall(s.name(), s.namespace(), timeout);
    }
    List<ObjectRef> crds = removeInventory(s.name(), deletePvcs, deleteCrds);
    if (deletePvcs) {
      ctx.applier().deleteClaims(s.namespace(), "app.kubernetes.io/instance", s.name());
      ctx.applier().deleteClaims(null, Applier.COMPONENT_LABEL, s.name());
      return crds;
    }
    kept.addAll(ctx.applier().claims(s.namespace(), "app.kubernetes.io/instance", s.name()));
    kept.addAll(ctx.applier().claims(null, Applier.COMPONENT_LABEL, s.name()));
    for (String k : kept) {
      ctx.progress().event(s.name(), Phase.INFO, "kept PersistentVolumeClaim " + k + (historyGoes
          ? " ('kubectl delete pvc -n " + k.substring(0, k.indexOf('/')) + " " + k.substring(k.indexOf('/') + 1)
              + "' deletes it; cnai will not know it once this uninstall has removed the stack's history)"
          : " (--delete-pvcs deletes it)"));
    }
    return crds;
  }

  /**
   * Why a namespace must stay (it holds claims kept without {@code deletePvcs}, or custom resources
   * kept without {@code deleteCrds}), or null when it may go.
   */
  String holdsData(String namespace, boolean deletePvcs, boolean deleteCrds) {
    List<String> claims = deletePvcs ? List.of() : ctx.applier().claims(namespace, null, null);
    if (!claims.isEmpty()) {
      return "namespace " + namespace + " kept: it holds PersistentVolumeClaim(s) "
          + String.join(", ", claims.stream().map(c -> c.substring(c.indexOf('/') + 1)).toList())
          + ", kept without --delete-pvcs; 'kubectl delete namespace " + namespace + "' deletes it and them";
    }
    List<String> resources = deleteCrds ? List.of() : ctx.applier().customResources(namespace);
    if (!resources.isEmpty()) {
      return "namespace " + namespace + " kept: it holds custom resource(s) " + String.join(", ", resources)
          + ", kept without --delete-crds; 'kubectl delete namespace " + namespace + "' deletes it and them";
    }
    return null;
  }

  /**
   * Deletes what the component's inventory lists (what Helm left, e.g. hooks, too): every object
   * but CRDs first, Namespace objects last (one that holds claims kept without {@code deletePvcs}
   * stays); then forgets the inventory, except, with {@code deleteCrds}, its CRDs, until they are
   * deleted (so that an interrupted uninstall finds them again).
   *
   * @return the CRDs the inventory listed
   */
  List<ObjectRef> removeInventory(String component, boolean deletePvcs, boolean deleteCrds) {
    List<ObjectRef> crds = new ArrayList<>();
    List<ObjectRef> namespaces = new ArrayList<>();
    List<ObjectRef> all = new ArrayList<>(ctx.inventory().readHooks(component));
    all.addAll(ctx.inventory().read(component));
    for (ObjectRef r : all) {
      if (CRD.equals(r.kind())) {
        crds.add(r);
      } else if (NAMESPACE.equals(r.kind())) {
        namespaces.add(r);
      } else if (deletePvcs || !PVC.equals(r.kind())) {
        ctx.applier().delete(r);
      }
    }
    for (ObjectRef ns : namespaces) {
      String why = holdsData(ns.name(), deletePvcs, deleteCrds);
      if (why == null) {
        ctx.applier().delete(ns);
      } else {
        ctx.progress().event(component, Phase.INFO, why);
      }
    }
    if (deleteCrds && !crds.isEmpty()) {
      ctx.inventory().write(component, crds);
      ctx.inventory().deleteHooks(component);
    } else {
      ctx.inventory().delete(component);
    }
    return crds;
  }

  /**
   * Deletes what the component had before and has no more: objects a failed attempt left behind
   * (after an automatic rollback, Helm's release no longer lists them) or a manifest dropped. Users'
   * data stays: CRDs, Namespaces, PersistentVolumeClaims (unless {@code deletePvcs}) and objects
   * marked {@code helm.sh/resource-policy: keep} are never pruned.
   */
  void prune(ComponentSpec s, Set<ObjectRef> old, List<ObjectRef> refs, boolean deletePvcs, String why) {
    for (ObjectRef gone : old) {
      if (refs.contains(gone) || CRD.equals(gone.kind()) || NAMESPACE.equals(gone.kind())
          || !deletePvcs && PVC.equals(gone.kind())) {
        continue;
      }
      var live = ctx.applier().get(gone);
      if (live == null || live.getMetadata().getAnnotations() != null
          && "keep".equals(live.getMetadata().getAnnotations().get(Ownership.KEEP))) {
        continue;
      }
      if (ctx.applier().delete(gone)) {
        ctx.progress().event(s.name(), Phase.REMOVE, gone.id() + " (" + why + ")");
      }
    }
  }

}
