package io.cnai.installer.cluster;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A cluster that cnai can talk to: where its kubeconfig is and which context in it to use. What
 * the cluster has (version, nodes, GPUs) is read from the cluster itself, see {@link io.cnai.installer.kube.LiveFacts}.
 */
public record Cluster(String name, String provider, Path kubeconfig, String context) {
  public Cluster {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(context, "context");
  }

  /** How cnai reaches it. */
  public io.cnai.installer.kube.ClusterAccess access() {
    return io.cnai.installer.kube.ClusterAccess.of(kubeconfig, context);
  }
}
