package io.cnai.installer.lifecycle;

import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.render.StackRenderer;
import java.time.Clock;

/**
 * What every lifecycle action shares besides the cluster (as Helm's {@code action.Configuration}):
 * how charts are fetched and rendered, where progress goes, and the clock. {@link #open} connects
 * it to one cluster, once per command.
 */
public record Lifecycle(StackRenderer renderer, Progress progress, Clock clock) {
  /** One client, Helm releases, revision store, inventory and applier for this cluster; the caller closes it. */
  public StackContext open(ClusterAccess access) {
    return StackContext.open(access, this);
  }
}
