package io.cnai.conformance;

import io.cnai.conformance.template.TemplateRequirement;
import java.util.List;

/**
 * A requirement's answer for PRODUCT.yaml, derived from its scenarios.
 *
 * @param requirement the requirement as the template states it (id, description, level verbatim)
 * @param status one of "Implemented", "Not Implemented", "Partially Implemented", "N/A"
 * @param conditionNotMet the requirement is conditional and its condition does not hold here
 *     (e.g. no cluster autoscaler is offered); {@code notes} says why
 * @param evidence relative paths (beside PRODUCT.yaml) of the evidence files, then public URLs
 */
public record RequirementOutcome(
    TemplateRequirement requirement, String status, boolean conditionNotMet, String notes, List<String> evidence,
    List<ScenarioOutcome> scenarios) {
  public static final String IMPLEMENTED = "Implemented";
  public static final String NOT_IMPLEMENTED = "Not Implemented";
  public static final String PARTIAL = "Partially Implemented";
  public static final String NA = "N/A";

  public RequirementOutcome {
    evidence = List.copyOf(evidence);
    scenarios = List.copyOf(scenarios);
  }

  public String level() {
    return requirement.level();
  }

  /**
   * The rules: any failure: Not Implemented; the condition of a conditional requirement does not
   * hold (a scenario found it not applicable, none passed): Implemented for a MUST, N/A for a
   * SHOULD, with the justification in the notes (docs/adr/0402); every scenario passed:
   * Implemented; some passed and some not run: Partially Implemented; nothing could run: Not
   * Implemented, with the reasons in the notes.
   */
  public static RequirementOutcome of(TemplateRequirement r, List<ScenarioOutcome> scenarios, List<String> evidence) {
    long passed = count(scenarios, ScenarioOutcome.Status.PASSED);
    long failed = count(scenarios, ScenarioOutcome.Status.FAILED);
    long notRun = count(scenarios, ScenarioOutcome.Status.NOT_RUN);
    long na = count(scenarios, ScenarioOutcome.Status.NOT_APPLICABLE);
    String status;
    boolean conditionNotMet = false;
    StringBuilder notes = new StringBuilder();
    if (scenarios.isEmpty()) {
      status = NOT_IMPLEMENTED;
      notes.append(Requirements.byId(r.id()).isPresent()
          ? "not verified: no scenario of this requirement was selected"
          : "not verified: cnai's suite has no checks for this requirement yet");
    } else if (failed > 0) {
      status = NOT_IMPLEMENTED;
      notes.append(failed).append(" of ").append(scenarios.size()).append(" checks failed: ");
      appendReasons(notes, scenarios, ScenarioOutcome.Status.FAILED);
    } else if (na > 0 && passed == 0) {
      conditionNotMet = true;
      status = r.must() ? IMPLEMENTED : NA;
      notes.append("Conditional requirement whose condition does not hold on this platform: ");
      appendJustifications(notes, scenarios);
      notes.append(". The requirement applies only when its condition holds; the evidence shows what was looked for.");
    } else if (notRun == 0) {
      status = IMPLEMENTED;
      notes.append("all ").append(passed).append(" checks passed");
    } else if (passed > 0) {
      status = PARTIAL;
      notes.append(passed).append(" checks passed, ").append(notRun).append(" not run: ");
      appendReasons(notes, scenarios, ScenarioOutcome.Status.NOT_RUN);
    } else {
      status = NOT_IMPLEMENTED;
      notes.append("not verified by cnai on this cluster (").append(notRun).append(notRun == 1 ? " check" : " checks").append(" not run): ");
      appendReasons(notes, scenarios, ScenarioOutcome.Status.NOT_RUN);
    }
    return new RequirementOutcome(r, status, conditionNotMet, notes.toString(), evidence, scenarios);
  }

  private static long count(List<ScenarioOutcome> s, ScenarioOutcome.Status status) {
    return s.stream().filter(o -> o.status() == status).count();
  }

  private static void appendReasons(StringBuilder sb, List<ScenarioOutcome> s, ScenarioOutcome.Status status) {
    List<String> reasons = s.stream().filter(o -> o.status() == status)
        .map(o -> o.name() + " (" + o.reason() + ")").distinct().toList();
    sb.append(String.join("; ", reasons));
  }

  private static void appendJustifications(StringBuilder sb, List<ScenarioOutcome> s) {
    sb.append(String.join("; ", s.stream().filter(o -> o.status() == ScenarioOutcome.Status.NOT_APPLICABLE)
        .map(ScenarioOutcome::reason).distinct().toList()));
  }
}
