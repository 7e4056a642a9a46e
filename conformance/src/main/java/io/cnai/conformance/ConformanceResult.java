package io.cnai.conformance;

import io.cnai.conformance.report.Violation;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a run: every scenario, every requirement of the checklist template, the violations
 * of the written PRODUCT.yaml, what keeps it from being submitted, and where the reports are.
 *
 * @param kubernetesVersion the target's version ("v1.37.2")
 * @param checklistVersion the version of the checklist template the PRODUCT.yaml answers ("1.36")
 * @param capabilities what the target could do
 * @param blockers why PRODUCT.yaml is not submittable whatever the validator says (no product file,
 *     template of another version than the cluster)
 * @param notes what was not checked, and why (e.g. the vendor check, offline)
 */
public record ConformanceResult(
    String kubernetesVersion,
    String checklistVersion,
    Capabilities capabilities,
    List<ScenarioOutcome> scenarios,
    List<RequirementOutcome> requirements,
    List<Violation> violations,
    List<String> blockers,
    List<String> notes,
    Path outputDir,
    Path productYaml,
    String summary) {

  public ConformanceResult {
    scenarios = List.copyOf(scenarios);
    requirements = List.copyOf(requirements);
    violations = List.copyOf(violations);
    blockers = List.copyOf(blockers);
    notes = List.copyOf(notes);
  }

  /** Whether the written PRODUCT.yaml may be submitted: nothing blocks it and the validator's rules hold. */
  public boolean submittable() {
    return blockers.isEmpty() && violations.isEmpty();
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
