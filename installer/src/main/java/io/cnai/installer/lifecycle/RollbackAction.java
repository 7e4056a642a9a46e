package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Status;
import java.time.Duration;
import java.util.List;

/** {@code cnai rollback [REVISION]}: re-apply what an earlier revision recorded, as a new revision. */
public final class RollbackAction {
  private final StackContext ctx;
  private Integer revision;
  private Duration timeout = Duration.ofMinutes(5);
  private boolean deletePvcs;

  public RollbackAction(StackContext ctx) {
    this.ctx = ctx;
  }

  /** The revision to go back to; null: the one before the deployed one. */
  public RollbackAction revision(Integer revision) {
    this.revision = revision;
    return this;
  }

  public RollbackAction timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public RollbackAction deletePvcs(boolean deletePvcs) {
    this.deletePvcs = deletePvcs;
    return this;
  }

  public StackResult run() {
    Deployment.repairRevisions(ctx);
    RevisionStore.Stored to = target(ctx.store().list(), ctx.store().lastDeployed());
    if (to.specs().isEmpty()) {
      throw CnaiException.badInput("stack revision " + to.revision().revision() + " (" + to.revision().action() + ", "
          + to.revision().status() + ") recorded no components to go back to", "'cnai history' lists the revisions; pick one that was deployed");
    }
    StackRevision r = new Deployment(ctx, timeout).deletingPvcs(deletePvcs).rollbackTo(to);
    return new StackResult(r, true, List.of());
  }

  private RevisionStore.Stored target(List<RevisionStore.Stored> all, RevisionStore.Stored last) {
    RevisionStore.Stored to = null;
    if (revision != null) {
      for (RevisionStore.Stored s : all) {
        if (s.revision().revision() == revision) {
          to = s;
        }
      }
      if (to == null) {
        throw CnaiException.badInput("stack revision " + revision + " does not exist",
            all.isEmpty() ? "nothing was ever installed on this cluster" : "'cnai history' lists the revisions: "
                + all.stream().map(s -> Integer.toString(s.revision().revision())).toList());
      }
      return to;
    }
    for (RevisionStore.Stored s : all) {
      if (last != null && s.revision().revision() < last.revision().revision()
          && (s.revision().status() == Status.SUPERSEDED || s.revision().status() == Status.DEPLOYED)) {
        to = s;
      }
    }
    if (to == null) {
      throw CnaiException.badInput("there is no earlier deployed stack revision to roll back to",
          "'cnai history' lists the revisions; name one: 'cnai rollback REVISION'");
    }
    return to;
  }
}
