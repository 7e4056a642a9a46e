package io.cnai.conformance;

import io.cnai.conformance.report.Violation;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a run: every scenario, every requirement of the checklist, the violations of the
 * written PRODUCT.yaml, and where the reports are.
 *
 * @param kubernetesVersion the target's version ("v1.37.2")
 * @param checklistVersion the AI Conformance checklist the PRODUCT.yaml answers ("1.36")
 * @param capabilities what the target could do
 */
public record ConformanceResult(
    String kubernetesVersion,
    String checklistVersion,
    Capabilities capabilities,
    List<ScenarioOutcome> scenarios,
    List<RequirementOutcome> requirements,
    List<Violation> violations,
    Path outputDir,
    Path productYaml,
    String summary) {

  public ConformanceResult {
    scenarios = List.copyOf(scenarios);
    requirements = List.copyOf(requirements);
    violations = List.copyOf(violations);
  }

  /** MUST scenarios that ran and failed. */
  public List<ScenarioOutcome> failedMusts() {
    return scenarios.stream().filter(s -> s.must() && s.status() == ScenarioOutcome.Status.FAILED).toList();
  }

  public long count(ScenarioOutcome.Status status) {
    return scenarios.stream().filter(s -> s.status() == status).count();
  }

  /** 0 when every MUST scenario that could run passed, 1 otherwise. */
  public int exitCode() {
    return failedMusts().isEmpty() ? 0 : 1;
  }
}
