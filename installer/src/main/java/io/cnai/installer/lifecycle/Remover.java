package io.cnai.installer.lifecycle;

import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.installer.lifecycle.Progress.Phase;
import java.time.Duration;
import java.util.Set;

/** Removes components from the cluster, keeping PersistentVolumeClaims and CRDs unless told otherwise. */
final class Remover {
  private final StackContext ctx;
  private final Duration timeout;

  Remover(StackContext ctx, Duration timeout) {
    this.ctx = ctx;
    this.timeout = timeout;
  }

  /**
   * Removes a component: its Helm release or its inventoried objects. Its PersistentVolumeClaims are
   * kept unless {@code deletePvcs}, wherever they came from: the chart's templates (which 'helm
   * uninstall' would delete: they are marked {@code ctx.helm().sh/resource-policy: keep} in the release
   * first), a StatefulSet's volumeClaimTemplates (labelled {@code app.kubernetes.io/instance=<name>}
   * by the chart's selector), a manifest (inventory, label {@code cnai.io/component}).
   */
  void remove(ComponentSpec s, boolean deletePvcs, boolean deleteCrds) {
    ctx.progress().event(s.name(), Phase.REMOVE, s.helm() ? "helm uninstall " + s.name() : "deleting its objects");
    Set<String> kept = new java.util.TreeSet<>();
    if (!deletePvcs) {
      ctx.inventory().read(s.name()).stream().filter(r -> "PersistentVolumeClaim".equals(r.kind()) && ctx.applier().get(r) != null)
          .forEach(r -> kept.add(r.namespace() + "/" + r.name()));
    }
    if (s.helm()) {
      ctx.helm().repairPending(s.name(), s.namespace());
      if (!deletePvcs) {
        kept.addAll(ctx.helm().keepOnUninstall(s.name(), s.namespace(), "PersistentVolumeClaim"));
      }
      ctx.helm().uninstall(s.name(), s.namespace(), timeout);
    }
    removeInventory(s.name(), deletePvcs, deleteCrds);
    if (deletePvcs) {
      ctx.applier().deleteClaims(s.namespace(), "app.kubernetes.io/instance", s.name());
      ctx.applier().deleteClaims(null, Applier.COMPONENT_LABEL, s.name());
      return;
    }
    kept.addAll(ctx.applier().claims(s.namespace(), "app.kubernetes.io/instance", s.name()));
    kept.addAll(ctx.applier().claims(null, Applier.COMPONENT_LABEL, s.name()));
    for (String k : kept) {
      ctx.progress().event(s.name(), Phase.INFO, "kept PersistentVolumeClaim " + k + " (--delete-pvcs deletes it)");
    }
  }

  /** Deletes what the component's inventory lists (what Helm left, e.g. CRDs of crds/, too), then the ctx.inventory(). */
  void removeInventory(String component, boolean deletePvcs, boolean deleteCrds) {
    for (ObjectRef r : ctx.inventory().read(component)) {
      if ("PersistentVolumeClaim".equals(r.kind()) && !deletePvcs || "CustomResourceDefinition".equals(r.kind()) && !deleteCrds) {
        continue;
      }
      ctx.applier().delete(r);
    }
    ctx.inventory().delete(component);
  }

}
