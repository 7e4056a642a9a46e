package io.cnai.installer.e2e;

import io.cnai.conformance.SamplePipelines;
import io.cnai.core.Durations;
import io.cnai.installer.kube.LiveFacts;
import io.cnai.installer.kube.Workloads;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The conformance suite's {@link SamplePipelines}: {@code cnai e2e run} of one sample, with that
 * command's defaults (image, epochs, step timeout: {@link E2eOptions}), its Jobs and scratch claim
 * deleted afterwards. Registered in {@code META-INF/services}.
 */
public final class ConformanceSamples implements SamplePipelines {

  @Override
  public Outcome run(String pipeline, KubernetesClient client, double minAccuracy, Consumer<String> progress) {
    E2eOptions o = new E2eOptions(E2eRunner.select(List.of(pipeline)), E2eOptions.DEFAULT_IMAGE,
        Durations.parse("--step-timeout", E2eOptions.DEFAULT_STEP_TIMEOUT), E2eOptions.DEFAULT_EPOCHS, minAccuracy,
        null, false);
    E2eRunner.check(o);
    E2eReport.PipelineResult r = new E2eRunner(Workloads.of(client), LiveFacts.cluster(client)).run(o, progress).pipelines().get(0);
    return outcome(r);
  }

  static Outcome outcome(E2eReport.PipelineResult r) {
    Status s = switch (r.outcome()) {
      case PASSED -> Status.PASSED;
      case FAILED -> Status.FAILED;
      case NOT_RUN -> Status.NOT_RUN;
    };
    return new Outcome(s, r.reason(), r.seconds(), r.steps().stream()
        .map(st -> new Step(st.name(), st.ok(), st.seconds(), st.result() == null ? Map.of() : st.result(), st.node()))
        .toList());
  }
}
