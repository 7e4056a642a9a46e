package io.cnai.conformance.report;

import io.cnai.conformance.Capabilities;
import io.cnai.conformance.RequirementOutcome;
import io.cnai.conformance.ScenarioOutcome;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code evidence/<id>.txt} beside PRODUCT.yaml for every requirement, and
 * {@code evidence/<feature-tag>.txt} for the component and stack features: what each scenario
 * checked and saw, and how it ended.
 */
public final class EvidenceWriter {
  public static final String DIR = "evidence";

  private EvidenceWriter() {}

  /** The evidence file of a requirement or feature, relative to the output folder. */
  public static String path(String id) {
    return DIR + "/" + id + ".txt";
  }

  public static void write(Path out, Capabilities caps, String k8s, List<ScenarioOutcome> scenarios,
      List<RequirementOutcome> requirements) {
    Map<String, List<ScenarioOutcome>> groups = new LinkedHashMap<>();
    for (RequirementOutcome r : requirements) {
      groups.put(r.requirement().id(), r.scenarios());
    }
    for (ScenarioOutcome s : scenarios) {
      for (String t : s.tags()) {
        boolean requirementOutsideChecklist = io.cnai.conformance.Requirements.byId(t.substring(1)).isPresent()
            && requirements.stream().noneMatch(r -> r.requirement().id().equals(t.substring(1)));
        if (io.cnai.conformance.Requirements.ownFeature(t) || requirementOutsideChecklist) {
          groups.computeIfAbsent(t.substring(1), k -> new java.util.ArrayList<>()).add(s);
        }
      }
    }
    try {
      Files.createDirectories(out.resolve(DIR));
      // evidence of an earlier run in the same folder must not pass for this run's
      try (var old = Files.newDirectoryStream(out.resolve(DIR), "*.txt")) {
        for (Path p : old) {
          Files.delete(p);
        }
      }
      for (Map.Entry<String, List<ScenarioOutcome>> g : groups.entrySet()) {
        Files.writeString(out.resolve(path(g.getKey())), text(g.getKey(), caps, k8s, g.getValue()), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw CnaiException.failure("cannot write evidence into " + out.resolve(DIR) + ": " + e.getMessage(),
          "check the free space and permissions of --output-dir");
    }
  }

  static String text(String id, Capabilities caps, String k8s, List<ScenarioOutcome> scenarios) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(id).append(": evidence from 'cnai conformance run'\n");
    sb.append("Kubernetes: ").append(k8s).append('\n');
    sb.append("Target capabilities:\n");
    caps.toString().lines().forEach(l -> sb.append("  ").append(l).append('\n'));
    if (scenarios.isEmpty()) {
      sb.append("\nNo scenario of this requirement was selected in this run.\n");
    }
    for (ScenarioOutcome s : scenarios) {
      sb.append("\n## ").append(s.name()).append('\n');
      sb.append("feature: ").append(s.feature()).append(" (").append(s.uri()).append(")\n");
      sb.append("tags: ").append(String.join(" ", s.tags().stream().sorted().toList())).append('\n');
      sb.append("result: ").append(s.status().name().replace('_', ' '));
      if (!s.reason().isBlank()) {
        sb.append(" - ").append(s.reason());
      }
      sb.append('\n');
      for (String e : s.evidence()) {
        sb.append("  - ").append(e).append('\n');
      }
    }
    return sb.toString();
  }
}
