package io.cnai.conformance.report;

import io.cnai.conformance.Capabilities;
import io.cnai.conformance.Need;
import io.cnai.conformance.RequirementOutcome;
import io.cnai.conformance.Requirements;
import io.cnai.conformance.ScenarioOutcome;
import io.cnai.conformance.ScenarioOutcome.Status;
import io.cnai.conformance.template.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table printed after a run: one row per requirement, component and stack feature. */
public final class Summary {
  private Summary() {}

  public static String render(String k8s, Template template, Capabilities caps, List<ScenarioOutcome> scenarios,
      List<RequirementOutcome> requirements, List<Violation> violations, List<String> blockers, List<String> notes, Path out) {
    String checklist = template.version();
    StringBuilder sb = new StringBuilder();
    sb.append("AI Conformance of a Kubernetes ").append(k8s).append(" cluster, checklist v").append(checklist).append('\n');
    sb.append("  template: ").append(template.source()).append('\n');
    for (Need n : Need.values()) {
      sb.append("  ").append(n.tag()).append(": ").append(caps.has(n) ? "yes" : "no - " + caps.whyNot(n).orElse("")).append('\n');
    }
    sb.append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REQUIREMENT", "LEVEL", "STATUS", "PASS", "FAIL", "NOT RUN", "N/A"});
    for (RequirementOutcome r : requirements) {
      rows.add(row(r.requirement().id(), r.level(), r.status() + (r.conditionNotMet() ? " (condition not met)" : ""),
          r.scenarios()));
    }
    Map<String, List<ScenarioOutcome>> others = new LinkedHashMap<>();
    for (ScenarioOutcome s : scenarios) {
      boolean inChecklist = requirements.stream().anyMatch(r -> s.hasTag(r.requirement().id()));
      if (!inChecklist) {
        String group = s.tags().stream().filter(t -> Requirements.ownFeature(t) || Requirements.byId(t.substring(1)).isPresent())
            .map(t -> t.substring(1)).findFirst().orElse(s.feature());
        others.computeIfAbsent(group, k -> new ArrayList<>()).add(s);
      }
    }
    for (Map.Entry<String, List<ScenarioOutcome>> e : others.entrySet()) {
      boolean requirement = Requirements.byId(e.getKey()).isPresent();
      String level = e.getValue().stream().anyMatch(ScenarioOutcome::must) ? "MUST" : "SHOULD";
      rows.add(row(e.getKey(), requirement ? "-" : level,
          verdict(e.getValue()) + (requirement ? " (not in checklist v" + checklist + ")" : ""), e.getValue()));
    }
    table(sb, rows);
    sb.append('\n').append(String.format("scenarios: %d passed, %d failed, %d not run, %d not applicable%n",
        count(scenarios, Status.PASSED), count(scenarios, Status.FAILED), count(scenarios, Status.NOT_RUN),
        count(scenarios, Status.NOT_APPLICABLE)));
    for (ScenarioOutcome s : scenarios) {
      if (s.status() == Status.FAILED) {
        sb.append("FAILED ").append(s.must() ? "[MUST] " : "").append(s.feature()).append(" / ").append(s.name())
            .append(": ").append(s.reason()).append('\n');
      }
    }
    if (violations.isEmpty() && blockers.isEmpty()) {
      sb.append("PRODUCT.yaml: ready to submit (no validator violations); lay it out with 'cnai conformance submit-dir'\n");
    } else {
      sb.append("PRODUCT.yaml: not submittable\n");
      blockers.forEach(b -> sb.append("  - ").append(b).append('\n'));
      if (!violations.isEmpty()) {
        sb.append("  ").append(violations.size()).append(" violations of the program's validator rules:\n");
        violations.forEach(v -> sb.append("  - ").append(v).append('\n'));
      }
    }
    notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
    sb.append("reports: ").append(out).append(" (junit.xml, cucumber.json, cucumber.html, PRODUCT.yaml, evidence/)\n");
    return sb.toString();
  }

  private static String verdict(List<ScenarioOutcome> s) {
    if (s.stream().anyMatch(o -> o.status() == Status.FAILED)) {
      return "failed";
    }
    if (s.stream().allMatch(o -> o.status() == Status.PASSED)) {
      return "passed";
    }
    return s.stream().anyMatch(o -> o.status() == Status.PASSED) ? "partly run" : "not run";
  }

  private static String[] row(String id, String level, String status, List<ScenarioOutcome> s) {
    return new String[] {id, level, status, Long.toString(count(s, Status.PASSED)), Long.toString(count(s, Status.FAILED)),
        Long.toString(count(s, Status.NOT_RUN)), Long.toString(count(s, Status.NOT_APPLICABLE))};
  }

  private static long count(List<ScenarioOutcome> s, Status status) {
    return s.stream().filter(o -> o.status() == status).count();
  }

  private static void table(StringBuilder sb, List<String[]> rows) {
    int[] w = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(String.format("%-" + w[i] + "s", r[i])).append(i < r.length - 1 ? "  " : "");
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
