package io.cnai.conformance;

import io.cnai.conformance.Requirement.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The suite's own catalogue: which requirement ids it has features for, and the tags those features
 * carry (the level and checklist versions, {@code @MUST @v1.33 ...}), which decide the exit code.
 * It holds no requirement texts: PRODUCT.yaml takes id, description and level from the program's
 * template, read at run time ({@link io.cnai.conformance.template.Templates}).
 */
public final class Requirements {
  private static final Level M = Level.MUST;
  private static final Level S = Level.SHOULD;

  public static final List<String> VERSIONS = List.of("1.33", "1.34", "1.35", "1.36");

  public static final List<Requirement> ALL =
      List.of(
          r("dra_support", Map.of("1.33", S, "1.34", M, "1.35", M)),
          r("driver_runtime_management", Map.of("1.35", S, "1.36", S)),
          r("gpu_sharing", Map.of("1.35", S, "1.36", S)),
          r("virtualized_accelerator", Map.of("1.35", S, "1.36", S)),
          r("ai_inference", Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("advanced_inference_ingress", Map.of("1.36", S)),
          r("high_performance_networking", Map.of("1.36", S)),
          r("disaggregated_inference", Map.of("1.36", S)),
          r("gang_scheduling", Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("cluster_autoscaling", Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("pod_autoscaling", Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("accelerator_metrics", Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("ai_service_metrics", Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("secure_accelerator_access", Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)),
          r("robust_controller", Map.of("1.33", M, "1.34", M, "1.35", M, "1.36", M)));

  /** cnai's own features outside the checklist (besides {@code @component-<name>}): each a group of the summary and evidence. */
  public static final java.util.Set<String> OWN_FEATURES = java.util.Set.of("@stack", "@platform", "@sample-pipelines");

  private Requirements() {}

  /** Whether {@code tag} names one of cnai's own features: a component's, or one of {@link #OWN_FEATURES}. */
  public static boolean ownFeature(String tag) {
    return tag.startsWith("@component-") || OWN_FEATURES.contains(tag);
  }

  private static Requirement r(String id, Map<String, Level> levels) {
    return new Requirement(id, levels);
  }

  public static Optional<Requirement> byId(String id) {
    return ALL.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The requirements in one checklist version, in checklist order. */
  public static List<Requirement> checklist(String version) {
    return ALL.stream().filter(r -> r.levels().containsKey(version)).toList();
  }
}
