package io.cnai.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.conformance.ScenarioOutcome.Status;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequirementOutcomeTest {
  static final Requirement R = Requirements.byId("secure_accelerator_access").orElseThrow();

  static ScenarioOutcome s(String name, Status status, String reason) {
    return new ScenarioOutcome("f", name, "x.feature:1", Set.of("@MUST", "@secure_accelerator_access"), status, reason, List.of());
  }

  static String status(ScenarioOutcome... s) {
    return RequirementOutcome.of(R, Requirement.Level.MUST, List.of(s), List.of("evidence/x.txt")).status();
  }

  @Test
  void allPassedIsImplemented() {
    assertThat(status(s("a", Status.PASSED, ""), s("b", Status.PASSED, ""))).isEqualTo("Implemented");
  }

  @Test
  void oneFailureMakesItNotImplementedWhateverElsePassed() {
    RequirementOutcome o = RequirementOutcome.of(R, Requirement.Level.MUST,
        List.of(s("a", Status.PASSED, ""), s("b", Status.FAILED, "quota not enforced"), s("c", Status.NOT_RUN, "no gpu")), List.of());
    assertThat(o.status()).isEqualTo("Not Implemented");
    assertThat(o.notes()).contains("b (quota not enforced)");
  }

  @Test
  void passedAndNotRunIsPartialNeverImplemented() {
    RequirementOutcome o = RequirementOutcome.of(R, Requirement.Level.MUST,
        List.of(s("a", Status.PASSED, ""), s("gpu", Status.NOT_RUN, "not run: no real GPU")), List.of());
    assertThat(o.status()).isEqualTo("Partially Implemented");
    assertThat(o.notes()).contains("gpu (not run: no real GPU)");
  }

  @Test
  void nothingRunIsNotImplementedWithTheReasons() {
    RequirementOutcome o = RequirementOutcome.of(R, Requirement.Level.MUST, List.of(s("a", Status.NOT_RUN, "not run: no stack")), List.of());
    assertThat(o.status()).isEqualTo("Not Implemented");
    assertThat(o.notes()).contains("not verified").contains("no stack");
    assertThat(RequirementOutcome.of(R, Requirement.Level.MUST, List.of(), List.of()).status()).isEqualTo("Not Implemented");
  }

  @Test
  void notApplicableWithoutAnyPassIsNaWithTheJustification() {
    RequirementOutcome o = RequirementOutcome.of(R, Requirement.Level.MUST,
        List.of(s("a", Status.NOT_APPLICABLE, "no cluster autoscaler offered"), s("b", Status.NOT_RUN, "not run: no gpu")), List.of());
    assertThat(o.status()).isEqualTo("N/A");
    assertThat(o.notes()).contains("no cluster autoscaler offered");
  }
}
