package io.cnai.conformance;

import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds out what a target can do from its nodes and its stack revisions: pure functions over what
 * was read, so that the rules are unit-tested without a cluster.
 */
public final class CapabilityProbe {
  /** kwok plays the kubelet of every node annotated with this (value "fake"): no container runs. */
  public static final String KWOK_ANNOTATION = "kwok.x-k8s.io/node";
  /** Extended resources that accelerator device plugins advertise. */
  public static final List<String> ACCELERATOR_RESOURCES =
      List.of("nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915", "gpu.intel.com/xe");

  public static final String NO_STACK = "no cnai stack installed (no stack revision in " + StackRevision.NAMESPACE + ")";

  private CapabilityProbe() {}

  public static Capabilities of(List<Node> nodes, Optional<StackRevision> deployed) {
    Capabilities.Builder b = Capabilities.builder();
    List<Node> ready = nodes.stream().filter(CapabilityProbe::ready).toList();
    List<Node> real = ready.stream().filter(n -> !simulated(n)).toList();
    if (ready.isEmpty()) {
      b.lacks(Need.CONTAINERS, "no node is Ready");
    } else if (real.isEmpty()) {
      b.lacks(Need.CONTAINERS, "all " + ready.size() + " Ready nodes are simulated by kwok (annotation "
          + KWOK_ANNOTATION + "=fake): containers do not run");
    }
    long realGpuNodes = real.stream().filter(n -> accelerators(n) > 0).count();
    long simGpuNodes = ready.stream().filter(n -> simulated(n) && accelerators(n) > 0).count();
    if (realGpuNodes == 0) {
      b.lacks(Need.GPU, simGpuNodes > 0
          ? "the " + simGpuNodes + " GPU nodes are simulated by kwok: no real accelerator or device plugin"
          : "no Ready node advertises an accelerator (" + String.join(", ", ACCELERATOR_RESOURCES) + ")");
    }
    if (realGpuNodes + simGpuNodes == 0) {
      b.lacks(Need.GPU_NODES, "no Ready node advertises an accelerator (" + String.join(", ", ACCELERATOR_RESOURCES)
          + "), simulated or real: nothing to place a GPU pod on");
    }
    if (deployed.isEmpty()) {
      b.lacks(Need.STACK, NO_STACK);
    }
    return b.build();
  }

  public static boolean simulated(Node n) {
    Map<String, String> a = n.getMetadata().getAnnotations();
    return a != null && a.containsKey(KWOK_ANNOTATION);
  }

  static boolean ready(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** Accelerators the node can hand out (allocatable), over all known accelerator resources. */
  public static long accelerators(Node n) {
    if (n.getStatus() == null || n.getStatus().getAllocatable() == null) {
      return 0;
    }
    long sum = 0;
    for (String r : ACCELERATOR_RESOURCES) {
      Quantity q = n.getStatus().getAllocatable().get(r);
      if (q != null) {
        sum += q.getNumericalAmount().longValue();
      }
    }
    return sum;
  }
}
