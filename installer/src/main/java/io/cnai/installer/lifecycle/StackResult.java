package io.cnai.installer.lifecycle;

import io.cnai.revision.StackRevision;
import java.util.List;

/** What an install, upgrade or rollback did: the revision now deployed, whether anything changed, and what. */
public record StackResult(StackRevision revision, boolean changed, List<String> changes) {
  public StackResult {
    changes = List.copyOf(changes);
  }
}
