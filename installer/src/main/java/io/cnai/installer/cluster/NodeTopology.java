package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;

/**
 * The nodes of a cluster that cnai makes: {@code nodes} in all, of which {@code gpuNodes} carry
 * {@code gpusPerNode} GPUs of one product each.
 */
public record NodeTopology(int nodes, int gpuNodes, int gpusPerNode, GpuProduct gpu) {
  public static final int MAX_NODES = 500;

  public NodeTopology {
    if (nodes < 1 || nodes > MAX_NODES) {
      throw CnaiException.badInput(
          "--nodes must be between 1 and " + MAX_NODES + ", was " + nodes, null);
    }
    if (gpuNodes < 0 || gpuNodes > nodes) {
      throw CnaiException.badInput(
          "--gpu-nodes must be between 0 and --nodes (" + nodes + "), was " + gpuNodes,
          "--nodes counts all nodes, GPU nodes included");
    }
    if (gpusPerNode < 1 || gpusPerNode > 16) {
      throw CnaiException.badInput(
          "--gpus-per-node must be between 1 and 16, was " + gpusPerNode, null);
    }
    if (gpu == null) {
      throw CnaiException.badInput("a GPU product is required", null);
    }
  }

  /** Three nodes, two of them with eight H100 GPUs each. */
  public static NodeTopology defaults() {
    return new NodeTopology(3, 2, 8, GpuProduct.of(GpuProduct.DEFAULT));
  }

  public int cpuNodes() {
    return nodes - gpuNodes;
  }

  public int totalGpus() {
    return gpuNodes * gpusPerNode;
  }
}
