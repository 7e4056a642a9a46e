package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.plan.PlanStep;
import io.cnai.revision.StackRevision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cnai status}: the cluster against the last deployed revision (see {@link StatusCheck});
 * manifest components are rendered again from the digest cache to compare their contents.
 */
public final class StatusAction {
  private final StackContext ctx;

  public StatusAction(StackContext ctx) {
    this.ctx = ctx;
  }

  public StackStatus run() {
    RevisionStore.Stored last = ctx.store().lastDeployed();
    List<String> notes = new ArrayList<>();
    if (last == null) {
      // nothing deployed: a failed install still left releases, objects and CRDs; show them
      last = ctx.store().list().stream().filter(s -> !s.specs().isEmpty()).reduce((a, b) -> b).orElse(null);
      if (last == null) {
        throw CnaiException.badInput("nothing is installed on this cluster (no deployed stack revision in " + StackRevision.NAMESPACE + ")",
            "run 'cnai install'; 'cnai history' shows earlier revisions");
      }
      StackRevision r = last.revision();
      notes.add("no stack revision is deployed; revision " + r.revision() + " (" + r.action() + ", " + r.status() + ") is shown: "
          + r.message().lines().findFirst().orElse("") + "; run the same install again to complete it, or 'cnai uninstall'");
    }
    Map<String, RenderedChart> rendered = new LinkedHashMap<>();
    List<ComponentSpec> manifests = last.specs().stream().filter(s -> !s.helm()).toList();
    if (!manifests.isEmpty()) {
      try {
        rendered.putAll(Prepared.recorded(ctx, manifests, last.revision()).manifestObjects());
      } catch (CnaiException e) {
        notes.add("the objects of " + manifests.stream().map(ComponentSpec::step).map(PlanStep::name).toList()
            + " were checked for presence only, not contents: " + e.problem().lines().findFirst().orElse(""));
      }
    }
    return new StatusCheck(ctx).check(last, rendered, notes);
  }
}
