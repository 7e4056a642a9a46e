package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.installer.lifecycle.Progress.Phase;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Action;
import java.time.Duration;
import java.util.List;

/**
 * {@code cnai upgrade}: move the deployed stack to a new plan; components that leave are removed.
 * A failed upgrade rolls back to the last deployed revision unless {@link #noRollback}.
 */
public final class UpgradeAction extends Rollout<UpgradeAction> {
  private final StackContext ctx;
  private boolean noRollback;
  private boolean deletePvcs;

  public UpgradeAction(StackContext ctx) {
    this.ctx = ctx;
  }

  /** Leave a failed upgrade as it is, for inspection. */
  public UpgradeAction noRollback(boolean noRollback) {
    this.noRollback = noRollback;
    return this;
  }

  /** Delete the PersistentVolumeClaims of what the upgrade removes. */
  public UpgradeAction deletePvcs(boolean deletePvcs) {
    this.deletePvcs = deletePvcs;
    return this;
  }

  public StackResult run() {
    // asked before anything is fetched: with nothing deployed, an upgrade has nothing to start from
    Deployment.repairRevisions(ctx);
    RevisionStore.Stored last = ctx.store().lastDeployed();
    if (last == null) {
      StackRevision tried = ctx.store().list().stream().map(RevisionStore.Stored::revision).reduce((a, b) -> b).orElse(null);
      if (tried != null) {
        // a failed install (on a sim cluster: components refused) left components installed, but no revision deployed
        throw CnaiException.badInput("no stack revision is deployed on this cluster: the newest, revision " + tried.revision() + " ("
                + tried.action() + ", " + tried.status() + "), says: " + tried.message().lines().findFirst().orElse(""),
            "run the same 'cnai install' again to complete it, or 'cnai uninstall'; 'cnai status' shows what is installed, 'cnai history' every revision");
      }
      throw CnaiException.badInput("nothing is installed on this cluster (no deployed stack revision in " + StackRevision.NAMESPACE + ")",
          "run 'cnai install' first; 'cnai history' shows what happened before");
    }
    Prepared p = Prepared.of(ctx, source, requireLocked, allowUnverified);
    int from = last.revision().revision();
    List<String> changes = Specs.diff(last.specs(), p.specs());
    changes.forEach(c -> ctx.progress().event(null, Phase.PLAN, c));
    StackStatus st = Specs.same(last.specs(), p.specs()) ? Deployment.liveStatus(ctx, last, p) : null;
    if (st != null && st.healthy()) {
      ctx.progress().event(null, Phase.DONE, "nothing to upgrade (revision " + from + ")");
      return new StackResult(last.revision(), false, List.of());
    }
    try {
      StackResult r = new Deployment(ctx, timeout).deletingPvcs(deletePvcs).repairing(Deployment.drifted(st))
          .apply(p, Action.UPGRADE, last, changes);
      return new StackResult(r.revision(), true, changes);
    } catch (CnaiException e) {
      if (noRollback) {
        throw new CnaiException(e.kind(), e.location(), "upgrade failed: " + e.problem(),
            "--no-rollback was given: the stack is left as the upgrade left it; fix the cause and upgrade again, or run 'cnai rollback " + from + "'");
      }
      ctx.progress().event(null, Phase.INFO, "upgrade failed; rolling back to revision " + from);
      StackRevision back;
      try {
        back = new Deployment(ctx, timeout).deletingPvcs(deletePvcs).rollbackTo(last);
      } catch (CnaiException re) {
        throw CnaiException.failure("upgrade failed: " + e.problem() + "\nand the automatic rollback to revision " + from
            + " failed too: " + re.problem(), "fix the causes above, then run 'cnai rollback " + from + "'");
      }
      throw CnaiException.failure("upgrade failed: " + e.problem() + "\nrolled back automatically to revision " + from
          + " (now revision " + back.revision() + ")",
          "the stack runs what it ran before; fix the cause above and upgrade again (--no-rollback keeps a failed upgrade for inspection)");
    }
  }
}
