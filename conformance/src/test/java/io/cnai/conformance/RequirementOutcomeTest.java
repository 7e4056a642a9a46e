package io.cnai.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.conformance.ScenarioOutcome.Status;
import io.cnai.conformance.template.TemplateRequirement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequirementOutcomeTest {
  static final TemplateRequirement R = Fixtures.template().byId("secure_accelerator_access").orElseThrow();
  static final TemplateRequirement AUTOSCALING = Fixtures.template().byId("cluster_autoscaling").orElseThrow();
  static final TemplateRequirement NETWORKING = Fixtures.template().byId("high_performance_networking").orElseThrow();

  static ScenarioOutcome s(String name, Status status, String reason) {
    return new ScenarioOutcome("f", name, "x.feature:1", Set.of("@MUST", "@secure_accelerator_access"), status, reason, List.of());
  }

  static String status(ScenarioOutcome... s) {
    return RequirementOutcome.of(R, List.of(s), List.of("evidence/x.txt")).status();
  }

  @Test
  void allPassedIsImplemented() {
    assertThat(status(s("a", Status.PASSED, ""), s("b", Status.PASSED, ""))).isEqualTo("Implemented");
  }

  @Test
  void oneFailureMakesItNotImplementedWhateverElsePassed() {
    RequirementOutcome o = RequirementOutcome.of(R,
        List.of(s("a", Status.PASSED, ""), s("b", Status.FAILED, "quota not enforced"), s("c", Status.NOT_RUN, "no gpu")), List.of());
    assertThat(o.status()).isEqualTo("Not Implemented");
    assertThat(o.notes()).contains("b (quota not enforced)");
  }

  @Test
  void passedAndNotRunIsPartialNeverImplemented() {
    RequirementOutcome o = RequirementOutcome.of(R,
        List.of(s("a", Status.PASSED, ""), s("gpu", Status.NOT_RUN, "not run: no real GPU")), List.of());
    assertThat(o.status()).isEqualTo("Partially Implemented");
    assertThat(o.notes()).contains("gpu (not run: no real GPU)");
  }

  @Test
  void nothingRunIsNotImplementedWithTheReasons() {
    RequirementOutcome o = RequirementOutcome.of(R, List.of(s("a", Status.NOT_RUN, "not run: no stack")), List.of());
    assertThat(o.status()).isEqualTo("Not Implemented");
    assertThat(o.notes()).contains("not verified").contains("no stack");
    assertThat(RequirementOutcome.of(R, List.of(), List.of()).status()).isEqualTo("Not Implemented");
  }

  @Test
  void aConditionalMustWhoseConditionDoesNotHoldIsImplementedWithTheJustificationInTheNotes() {
    // the program's validator accepts nothing but Implemented for a MUST (docs/adr/0402)
    RequirementOutcome o = RequirementOutcome.of(AUTOSCALING,
        List.of(s("a", Status.NOT_APPLICABLE, "no cluster autoscaler offered"), s("b", Status.NOT_RUN, "not run: no gpu")),
        List.of("evidence/cluster_autoscaling.txt"));
    assertThat(o.status()).isEqualTo("Implemented");
    assertThat(o.conditionNotMet()).isTrue();
    assertThat(o.notes()).startsWith("Conditional requirement whose condition does not hold on this platform: ")
        .contains("no cluster autoscaler offered").doesNotContain("not run: no gpu");
    assertThat(o.evidence()).containsExactly("evidence/cluster_autoscaling.txt");
  }

  @Test
  void aConditionalShouldWhoseConditionDoesNotHoldIsNaWithNotes() {
    RequirementOutcome o = RequirementOutcome.of(NETWORKING,
        List.of(s("a", Status.NOT_APPLICABLE, "no secondary networks are offered")), List.of());
    assertThat(o.status()).isEqualTo("N/A");
    assertThat(o.conditionNotMet()).isTrue();
    assertThat(o.notes()).contains("no secondary networks are offered");
  }

  @Test
  void whenTheConditionHoldsTheChecksDecideAndAFailureIsNeverExcused() {
    RequirementOutcome held = RequirementOutcome.of(AUTOSCALING, List.of(s("a", Status.PASSED, ""), s("b", Status.PASSED, "")), List.of());
    assertThat(held.status()).isEqualTo("Implemented");
    assertThat(held.conditionNotMet()).isFalse();
    RequirementOutcome failed = RequirementOutcome.of(AUTOSCALING,
        List.of(s("a", Status.NOT_APPLICABLE, "none"), s("b", Status.FAILED, "node group did not grow")), List.of());
    assertThat(failed.status()).isEqualTo("Not Implemented");
    assertThat(failed.conditionNotMet()).isFalse();
  }

  @Test
  void aTemplateRequirementTheSuiteHasNoChecksForIsNotImplementedAndSaysSo() {
    TemplateRequirement unknown = new TemplateRequirement("security", "workload_sandboxing", "TEST FIXTURE: sandboxes.", "SHOULD");
    RequirementOutcome o = RequirementOutcome.of(unknown, List.of(), List.of());
    assertThat(o.status()).isEqualTo("Not Implemented");
    assertThat(o.notes()).contains("no checks for this requirement");
  }
}
