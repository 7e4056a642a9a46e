package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.installer.lifecycle.Progress.Phase;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Action;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code cnai install}: fetch, verify and render everything, then apply it as a new stack revision.
 * Run again with the same plan it changes nothing, or repairs drift; an interrupted install is
 * completed.
 */
public final class InstallAction extends Rollout<InstallAction> {
  private final StackContext ctx;

  public InstallAction(StackContext ctx) {
    this.ctx = ctx;
  }

  public StackResult run() {
    Prepared p = Prepared.of(ctx, source, requireLocked, allowUnverified);
    Deployment.repairRevisions(ctx);
    RevisionStore.Stored last = ctx.store().lastDeployed();
    if (last == null) {
      return new Deployment(ctx, timeout).apply(p, Action.INSTALL, null, List.of());
    }
    StackRevision r = last.revision();
    if (!Specs.same(last.specs(), p.specs())) {
      throw CnaiException.badInput(
          "the stack is already installed (revision " + r.revision() + ": " + r.distributionName() + " " + r.distributionVersion()
              + ", profile " + r.profile() + ") with another plan",
          "use 'cnai upgrade' to move it to this plan, or 'cnai uninstall' first");
    }
    StackStatus st = Deployment.liveStatus(ctx, last, p);
    if (st != null && st.healthy()) {
      ctx.progress().event(null, Phase.DONE, "already installed and unchanged (revision " + r.revision() + ")");
      return new StackResult(r, false, List.of());
    }
    Set<String> repair = Deployment.drifted(st);
    return new Deployment(ctx, timeout).repairing(repair).apply(p, Action.INSTALL, last, List.of());
  }
}
