package io.cnai.conformance;

import io.cnai.conformance.Requirement.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The AI Conformance checklists cnai knows (1.33 to 1.36): which requirement is in which version,
 * at which level. Source: the requirement table in docs/conformance.md.
 */
public final class Requirements {
  private static final Level M = Level.MUST;
  private static final Level S = Level.SHOULD;

  public static final List<String> VERSIONS = List.of("1.33", "1.34", "1.35", "1.36");

  public static final List<Requirement> ALL =
      List.of(
          r("dra_support", "accelerators", "Serves the Dynamic Resource Allocation APIs (resource.k8s.io), so workloads can ask for accelerators by attributes, not only by count.",
              Map.of("1.33", S, "1.34", M, "1.35", M)),
          r("driver_runtime_management", "accelerators", "Accelerator driver and runtime versions can be checked against what the nodes advertise.",
              Map.of("1.35", S, "1.36", S)),
          r("gpu_sharing", "accelerators", "At least one static way to share an accelerator (MIG partitions or time-slicing).",
              Map.of("1.35", S, "1.36", S)),
          r("virtualized_accelerator", "accelerators", "Virtual accelerators are exposed the same way as fractional ones.",
              Map.of("1.35", S, "1.36", S)),
          r("ai_inference", "networking", "A Gateway API implementation with weighted traffic splits and header-based routing for inference traffic.",
              Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("advanced_inference_ingress", "networking", "Model-aware routing through the Gateway API Inference Extension.",
              Map.of("1.36", S)),
          r("high_performance_networking", "networking", "Secondary high-performance NICs are discoverable and can be attached to pods.",
              Map.of("1.36", S)),
          r("disaggregated_inference", "networking", "Prefill and decode of one model can run in separate pods behind one gateway.",
              Map.of("1.36", S)),
          r("gang_scheduling", "schedulingOrchestration", "An all-or-nothing scheduler is installed and works: a gang runs whole or not at all.",
              Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("cluster_autoscaling", "schedulingOrchestration", "If a cluster autoscaler is offered, it grows and shrinks accelerator node groups on pending pods.",
              Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("pod_autoscaling", "schedulingOrchestration", "If pod autoscaling is offered, it scales accelerator workloads on custom AI metrics.",
              Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("accelerator_metrics", "observability", "Per-accelerator metrics (at least utilization and memory) from an endpoint in a standard format.",
              Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("ai_service_metrics", "observability", "Monitoring discovers and scrapes workload metrics in Prometheus format.",
              Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("secure_accelerator_access", "security", "Accelerator access is isolated: only pods that ask get a device, and namespaces are fenced by quota and RBAC.",
              Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("robust_controller", "operator", "At least one complex AI operator with CRDs runs, its webhooks and schemas reject invalid resources, and its resources reconcile.",
              Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)));

  private Requirements() {}

  private static Requirement r(String id, String category, String description, Map<String, Level> levels) {
    return new Requirement(id, category, description, levels);
  }

  public static Optional<Requirement> byId(String id) {
    return ALL.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The requirements in one checklist version, in checklist order. */
  public static List<Requirement> checklist(String version) {
    return ALL.stream().filter(r -> r.levels().containsKey(version)).toList();
  }

  /**
   * The checklist to certify a cluster of the given Kubernetes minor version ("1.37") against: the
   * same version when cnai knows it, else the newest one that is older, else the oldest known.
   */
  public static String checklistFor(String kubernetesMinor) {
    if (VERSIONS.contains(kubernetesMinor)) {
      return kubernetesMinor;
    }
    TreeSet<String> older = new TreeSet<>(Requirements::compareMinor);
    for (String v : VERSIONS) {
      if (compareMinor(v, kubernetesMinor) < 0) {
        older.add(v);
      }
    }
    return older.isEmpty() ? VERSIONS.get(0) : older.last();
  }

  static int compareMinor(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }
}
