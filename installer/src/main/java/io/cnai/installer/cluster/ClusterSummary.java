package io.cnai.installer.cluster;

import java.nio.file.Path;

/** One line of {@code cnai cluster list}. */
public record ClusterSummary(String name, String provider, State state, Path kubeconfig, String detail) {
  /** How a cluster is doing, as far as its provider can tell without asking the API server. */
  public enum State {
    /** Every part of it is running. */
    RUNNING,
    /** Some parts run, some do not: see detail. */
    DEGRADED,
    /** Nothing runs; its state is left behind (delete it). */
    STOPPED,
    /** The provider does not run the cluster itself (existing clusters). */
    EXTERNAL
  }
}
