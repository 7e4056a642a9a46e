package io.cnai.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.PendingException;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

class ScenarioCollectorTest {
  @Test
  void aCheckNotWrittenYetIsNotRunNeverFailedOrPassed() {
    assertThat(ScenarioCollector.pending(TestExecutionResult.failed(new PendingException("workload check not written yet: x")))).isTrue();
    assertThat(ScenarioCollector.pending(TestExecutionResult.aborted(new PendingException("x")))).isTrue();
    assertThat(ScenarioCollector.pending(TestExecutionResult.failed(new AssertionError("deployment model did not get 2 replicas")))).isFalse();
    assertThat(ScenarioCollector.pending(TestExecutionResult.successful())).isFalse();
  }
}
