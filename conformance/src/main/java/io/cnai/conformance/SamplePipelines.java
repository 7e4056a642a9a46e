package io.cnai.conformance;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The seam through which the suite runs cnai's sample pipelines (the {@code sample_pipelines}
 * feature): the cnai CLI provides it (its {@code cnai e2e run}, found with {@link ServiceLoader});
 * a runner without it, such as the in-cluster image, reports those scenarios not run.
 */
public interface SamplePipelines {

  enum Status { PASSED, FAILED, NOT_RUN }

  /** One step of a pipeline: its {@code RESULT} figures and the node it ran on. */
  record Step(String name, boolean ok, double seconds, Map<String, Object> result, String node) {
    public Step {
      result = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(result)); // JSON nulls kept
    }
  }

  /** How a pipeline ended; {@code message} says why when it failed or did not run. */
  record Outcome(Status status, String message, double seconds, List<Step> steps) {
    public Outcome {
      steps = List.copyOf(steps);
    }
  }

  /**
   * Runs the sample {@code pipeline} on the cluster of {@code client}; the served model must reach
   * {@code minAccuracy}. A failed or impossible run is an outcome, not an exception.
   */
  Outcome run(String pipeline, KubernetesClient client, double minAccuracy, Consumer<String> progress);

  /** The runner on this class path, if any. */
  static Optional<SamplePipelines> find() {
    return ServiceLoader.load(SamplePipelines.class, SamplePipelines.class.getClassLoader()).findFirst();
  }
}
