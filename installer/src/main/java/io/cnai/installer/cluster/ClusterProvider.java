package io.cnai.installer.cluster;

import java.util.List;
import java.util.Optional;

/**
 * Creates, finds and deletes clusters of one kind: {@code sim} (a real control plane with kwok
 * nodes), {@code existing} (a kubeconfig and a context), later {@code kind} and {@code k3s}.
 *
 * <p>Errors are {@link io.cnai.core.CnaiException}s: bad requests are BAD_INPUT, clusters that fail
 * to come up are FAILURE with what the failing part said.
 */
public interface ClusterProvider {
  /** The name used on the command line: {@code --provider <name>}. */
  String name();

  /**
   * Creates the cluster (or, for providers that do not create clusters, checks that it is
   * reachable) and returns it once it is ready to use: API server answering, nodes Ready.
   */
  Cluster create(ClusterRequest request);

  /** Stops and removes the named cluster and everything it left behind; false if none was found. */
  boolean delete(String name);

  /** The clusters this provider knows about, with their state. */
  List<ClusterSummary> list();

  /** The named cluster, if this provider knows it. */
  Optional<Cluster> find(String name);

  /**
   * Whether this provider makes clusters (and so may delete them and everything in them); false
   * for a provider that only reaches clusters made elsewhere: cnai never deletes those.
   */
  default boolean makesClusters() {
    return true;
  }

  /**
   * The name of the cluster that {@code --name} and {@code --context} mean. A provider that makes
   * clusters gives each its own context, so a {@code --context} is bad input.
   */
  default String clusterName(String name, Optional<String> context) {
    if (context.isPresent()) {
      throw io.cnai.core.CnaiException.badInput("--context is only for --provider existing",
          "a cluster that cnai creates gets its own context; --kubeconfig names where its kubeconfig is also written");
    }
    return name;
  }

  /** The nodes when --nodes and --gpu-nodes are not given. */
  default NodeTopology defaultTopology() {
    return NodeTopology.defaults();
  }

  /** What to say before {@link #create} starts (it may take a while); empty: nothing. */
  default String creating(ClusterRequest request) {
    return "";
  }
}
