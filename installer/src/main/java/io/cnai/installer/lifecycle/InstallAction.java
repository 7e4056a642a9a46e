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
public final class InstallAction {
  private final StackContext ctx;
  private PlanSource source;
  private Duration timeout = Duration.ofMinutes(5);
  private boolean requireLocked;
  private List<String> allowUnverified = List.of();

  public InstallAction(StackContext ctx) {
    this.ctx = ctx;
  }

  public InstallAction source(PlanSource source) {
    this.source = source;
    return this;
  }

  /** How long each component may take to become ready. */
  public InstallAction timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** Refuse components without a locked digest, except those in {@link #allowUnverified}. */
  public InstallAction requireLocked(boolean requireLocked) {
    this.requireLocked = requireLocked;
    return this;
  }

  /** Unlocked components to install anyway (and the unsigned distribution entry), recorded in the revision. */
  public InstallAction allowUnverified(List<String> allowUnverified) {
    this.allowUnverified = List.copyOf(allowUnverified);
    return this;
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
