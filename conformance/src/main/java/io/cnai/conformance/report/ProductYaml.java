package io.cnai.conformance.report;

import io.cnai.conformance.Requirement;
import io.cnai.conformance.RequirementOutcome;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes PRODUCT.yaml in the AI Conformance submission format: {@code metadata} and, per category,
 * the requirements with id, description, level, status, evidence and notes. Fields that only the
 * submitter knows (vendor, contact, logo, the Kubernetes conformance URL) are left as
 * {@code [placeholders]}, which the validator reports until they are filled in.
 */
public final class ProductYaml {
  public static final List<String> METADATA = List.of(
      "kubernetesVersion", "platformName", "platformVersion", "vendorName", "websiteUrl", "repoUrl",
      "documentationUrl", "productLogoUrl", "description", "contactEmailAddress", "k8sConformanceUrl");

  private ProductYaml() {}

  public static void write(Path file, String checklist, Optional<String> distributionVersion,
      List<RequirementOutcome> requirements, Clock clock) {
    try {
      Files.writeString(file, render(checklist, distributionVersion, requirements, clock), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CnaiException.failure("cannot write " + file + ": " + e.getMessage(),
          "check the free space and permissions of --output-dir");
    }
  }

  public static String render(String checklist, Optional<String> distributionVersion,
      List<RequirementOutcome> requirements, Clock clock) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("kubernetesVersion", "v" + checklist);
    meta.put("platformName", "cnai");
    meta.put("platformVersion", distributionVersion.orElse("[cnai distribution version: no stack installed]"));
    meta.put("vendorName", "[vendor name, as in the CNCF landscape]");
    meta.put("websiteUrl", "[website URL]");
    meta.put("repoUrl", "[repository URL]");
    meta.put("documentationUrl", "[documentation URL]");
    meta.put("productLogoUrl", "[product logo URL]");
    meta.put("description", "cnai: the Cloud Native AI reference distribution, installed and certified by the cnai tool");
    meta.put("contactEmailAddress", "[contact email]");
    meta.put("k8sConformanceUrl", "[URL of the product's Kubernetes conformance submission]");
    StringBuilder sb = new StringBuilder();
    sb.append("# AI Conformance self-assessment written by 'cnai conformance run' at ")
        .append(clock.instant()).append('\n');
    sb.append("metadata:\n");
    for (String k : METADATA) {
      sb.append("  ").append(k).append(": ").append(quote(meta.get(k))).append('\n');
    }
    sb.append("spec:\n");
    Map<String, List<RequirementOutcome>> byCategory = new LinkedHashMap<>();
    for (RequirementOutcome r : requirements) {
      byCategory.computeIfAbsent(r.requirement().category(), k -> new java.util.ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<RequirementOutcome>> c : byCategory.entrySet()) {
      sb.append("  ").append(c.getKey()).append(":\n");
      for (RequirementOutcome r : c.getValue()) {
        Requirement q = r.requirement();
        sb.append("    - id: ").append(q.id()).append('\n');
        sb.append("      description: ").append(quote(q.description())).append('\n');
        sb.append("      level: ").append(r.level().name()).append('\n');
        sb.append("      status: ").append(quote(r.status())).append('\n');
        sb.append("      evidence:\n");
        for (String e : r.evidence()) {
          sb.append("        - ").append(quote(e)).append('\n');
        }
        sb.append("      notes: ").append(quote(r.notes())).append('\n');
      }
    }
    return sb.toString();
  }

  /** A YAML double-quoted scalar (JSON string escapes are valid YAML). */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
