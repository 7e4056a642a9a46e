package io.cnai.conformance;

import java.util.List;

/**
 * A requirement's answer for PRODUCT.yaml, derived from its scenarios.
 *
 * @param status one of "Implemented", "Not Implemented", "Partially Implemented", "N/A"
 * @param evidence relative paths (beside PRODUCT.yaml) of the evidence files
 */
public record RequirementOutcome(
    Requirement requirement, Requirement.Level level, String status, String notes, List<String> evidence,
    List<ScenarioOutcome> scenarios) {
  public static final String IMPLEMENTED = "Implemented";
  public static final String NOT_IMPLEMENTED = "Not Implemented";
  public static final String PARTIAL = "Partially Implemented";
  public static final String NA = "N/A";

  public RequirementOutcome {
    evidence = List.copyOf(evidence);
    scenarios = List.copyOf(scenarios);
  }

  /**
   * The rules: any failure: Not Implemented; every scenario passed (or was not applicable, with at
   * least one pass): Implemented; not applicable and nothing passed: N/A; some passed and some not run: Partially
   * Implemented; nothing could run: Not Implemented, with the reasons in the notes.
   */
  public static RequirementOutcome of(
      Requirement r, Requirement.Level level, List<ScenarioOutcome> scenarios, List<String> evidence) {
    long passed = count(scenarios, ScenarioOutcome.Status.PASSED);
    long failed = count(scenarios, ScenarioOutcome.Status.FAILED);
    long notRun = count(scenarios, ScenarioOutcome.Status.NOT_RUN);
    long na = count(scenarios, ScenarioOutcome.Status.NOT_APPLICABLE);
    String status;
    StringBuilder notes = new StringBuilder();
    if (scenarios.isEmpty()) {
      status = NOT_IMPLEMENTED;
      notes.append("not verified: no scenario of this requirement was selected");
    } else if (failed > 0) {
      status = NOT_IMPLEMENTED;
      notes.append(failed).append(" of ").append(scenarios.size()).append(" checks failed: ");
      appendReasons(notes, scenarios, ScenarioOutcome.Status.FAILED);
    } else if (na > 0 && passed == 0) {
      status = NA;
      appendReasons(notes, scenarios, ScenarioOutcome.Status.NOT_APPLICABLE);
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
    return new RequirementOutcome(r, level, status, notes.toString(), evidence, scenarios);
  }

  private static long count(List<ScenarioOutcome> s, ScenarioOutcome.Status status) {
    return s.stream().filter(o -> o.status() == status).count();
  }

  private static void appendReasons(StringBuilder sb, List<ScenarioOutcome> s, ScenarioOutcome.Status status) {
    List<String> reasons = s.stream().filter(o -> o.status() == status)
        .map(o -> o.name() + " (" + o.reason() + ")").distinct().toList();
    sb.append(String.join("; ", reasons));
  }
}
