package io.cnai.installer.kube;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a cluster has, read from its API server: the Kubernetes version and the nodes with their
 * GPUs, as {@link LiveFacts} reads them (the one reader of nodes). Providers report them; the
 * planner's {@link io.cnai.installer.plan.TargetFacts} are derived from the same nodes.
 */
public record ClusterFacts(String kubernetesVersion, String platform, List<NodeFacts> nodes) {
  /** The extended resource NVIDIA's device plugin advertises. */
  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  /** The node label of NVIDIA's GPU feature discovery naming the GPU product. */
  public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";

  public ClusterFacts {
    nodes = List.copyOf(nodes);
  }

  /** One node: whether it is Ready, what it can hold, and its GPUs (0 when it has none). */
  public record NodeFacts(
      String name,
      boolean ready,
      String cpu,
      String memory,
      double cpuCores,
      long memoryBytes,
      int gpus,
      String gpuProduct,
      Map<String, String> labels,
      boolean simulated) {
    public NodeFacts {
      labels = Map.copyOf(labels);
    }
  }

  /** The annotation kwok puts on the nodes it plays (no container runs there). */
  public static final String SIMULATED_ANNOTATION = "kwok.x-k8s.io/node";

  /** Whether any node runs containers (a sim cluster's nodes are all simulated). */
  public boolean runsContainers() {
    return nodes.stream().anyMatch(n -> !n.simulated());
  }

  public int totalGpus() {
    return nodes.stream().mapToInt(NodeFacts::gpus).sum();
  }

  public long readyNodes() {
    return nodes.stream().filter(NodeFacts::ready).count();
  }

  /** GPU count per product label, in product order. */
  public Map<String, Integer> gpusByProduct() {
    Map<String, Integer> out = new TreeMap<>();
    for (NodeFacts n : nodes) {
      if (n.gpus() > 0) {
        out.merge(n.gpuProduct() == null ? "unknown" : n.gpuProduct(), n.gpus(), Integer::sum);
      }
    }
    return out;
  }
}
