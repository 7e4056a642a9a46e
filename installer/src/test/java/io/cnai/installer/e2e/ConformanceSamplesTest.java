package io.cnai.installer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.conformance.SamplePipelines;
import io.cnai.core.CnaiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conformance suite finds cnai e2e as its sample-pipelines runner, and reads its outcomes right. */
class ConformanceSamplesTest {

  @Test
  void theSuiteFindsCnaiE2eAsItsRunner() {
    assertThat(SamplePipelines.find()).get().isInstanceOf(ConformanceSamples.class);
  }

  @Test
  void anUnknownSampleIsBadInputBeforeTheClusterIsTouched() {
    // no client at all: the name is refused first
    assertThatThrownBy(() -> new ConformanceSamples().run("mnist", null, 0.9, line -> { }))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("'mnist' is not a sample");
  }

  @Test
  void outcomesKeepStatusReasonAndEachStepsFigures() {
    Map<String, Object> train = new HashMap<>(Map.of("device", "cpu", "epochs", 20));
    train.put("gpu", null); // a JSON null in a RESULT line
    var failed = new E2eReport.PipelineResult("digits", E2eReport.Outcome.FAILED, "accuracy 0.5 is below 0.9", List.of(
        new E2eReport.Step("train", true, 12.5, train, "n0", null, null),
        new E2eReport.Step("check", false, 3.0, Map.of("accuracy", 0.5), "n0", "accuracy 0.5 is below 0.9", "tail")), 15.5);
    SamplePipelines.Outcome o = ConformanceSamples.outcome(failed);
    assertThat(o.status()).isEqualTo(SamplePipelines.Status.FAILED);
    assertThat(o.message()).isEqualTo("accuracy 0.5 is below 0.9");
    assertThat(o.steps()).extracting(SamplePipelines.Step::name).containsExactly("train", "check");
    assertThat(o.steps().get(0).result()).containsEntry("device", "cpu").containsEntry("gpu", null);
    assertThat(o.steps().get(1).ok()).isFalse();

    var notRun = new E2eReport.PipelineResult("digits-gpu", E2eReport.Outcome.NOT_RUN, "no node offers nvidia.com/gpu", List.of(), 0);
    assertThat(ConformanceSamples.outcome(notRun).status()).isEqualTo(SamplePipelines.Status.NOT_RUN);
    var passed = new E2eReport.PipelineResult("digits", E2eReport.Outcome.PASSED, null, List.of(), 60);
    assertThat(ConformanceSamples.outcome(passed).status()).isEqualTo(SamplePipelines.Status.PASSED);
  }
}
