package io.cnai.installer.lifecycle;

import io.cnai.revision.StackRevision;
import java.util.List;

/** {@code cnai history}: every stack revision, oldest first. */
public final class HistoryAction {
  private final StackContext ctx;

  public HistoryAction(StackContext ctx) {
    this.ctx = ctx;
  }

  public List<StackRevision> run() {
    return ctx.store().list().stream().map(RevisionStore.Stored::revision).toList();
  }
}
