package io.cnai.conformance.report;

import io.cnai.conformance.RequirementOutcome;
import io.cnai.conformance.product.ProductInfo;
import io.cnai.conformance.template.Template;
import io.cnai.conformance.template.TemplateRequirement;
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
 * Writes PRODUCT.yaml in the AI Conformance submission format: the program's template with the
 * answers filled in. {@code metadata} has the template's keys in its order (plus those the
 * program's validator requires and the template lacks), filled from the product file; without one
 * the template's {@code [placeholders]} stay, and the validator refuses them. Per category, every
 * requirement of the template with {@code id}, {@code description} and {@code level} exactly as the
 * template has them, then {@code status}, {@code evidence} and {@code notes}.
 */
public final class ProductYaml {
  /** The metadata fields of the program's validator, in the order of its instructions; repoUrl is optional. */
  public static final List<String> METADATA = List.of(
      "kubernetesVersion", "platformName", "platformVersion", "vendorName", "websiteUrl", "repoUrl",
      "documentationUrl", "productLogoUrl", "description", "contactEmailAddress", "k8sConformanceUrl");

  private ProductYaml() {}

  public static void write(Path file, Template template, Optional<ProductInfo> product, Optional<String> distributionVersion,
      List<RequirementOutcome> requirements, List<String> blockers, Clock clock) {
    try {
      Files.writeString(file, render(template, product, distributionVersion, requirements, blockers, clock), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CnaiException.failure("cannot write " + file + ": " + e.getMessage(),
          "check the free space and permissions of --output-dir");
    }
  }

  /** The metadata as written: template keys first, then the validator's; product values over the template's placeholders. */
  public static Map<String, String> metadata(Template t, Optional<ProductInfo> product, Optional<String> distributionVersion) {
    Map<String, String> meta = new LinkedHashMap<>(t.metadata());
    for (String k : METADATA) {
      if (!meta.containsKey(k) && !k.equals("repoUrl")) {
        meta.put(k, "[" + k + "]");
      }
    }
    meta.put("kubernetesVersion", t.tag());
    distributionVersion.ifPresent(v -> meta.put("platformVersion", v));
    product.ifPresent(p -> {
      meta.putAll(p.metadata());
      if (p.repoUrl().isEmpty() && meta.containsKey("repoUrl") && ProductValidator.placeholder(meta.get("repoUrl"))) {
        meta.remove("repoUrl"); // optional: a placeholder left would be refused
      }
    });
    return meta;
  }

  public static String render(Template t, Optional<ProductInfo> product, Optional<String> distributionVersion,
      List<RequirementOutcome> requirements, List<String> blockers, Clock clock) {
    Map<String, RequirementOutcome> byId = new LinkedHashMap<>();
    requirements.forEach(r -> byId.put(r.requirement().id(), r));
    StringBuilder sb = new StringBuilder();
    sb.append("# AI Conformance self-assessment written by 'cnai conformance run' at ").append(clock.instant()).append('\n');
    sb.append("# checklist template: ").append(t.source().replace('\n', ' ')).append(" (sha256 ").append(t.sha256()).append(")\n");
    for (String b : blockers) {
      sb.append("# NOT SUBMITTABLE: ").append(b.replace('\n', ' ')).append('\n');
    }
    sb.append("metadata:\n");
    for (Map.Entry<String, String> e : metadata(t, product, distributionVersion).entrySet()) {
      sb.append("  ").append(e.getKey()).append(": ").append(quote(e.getValue())).append('\n');
    }
    sb.append("spec:\n");
    for (Map.Entry<String, List<TemplateRequirement>> c : t.byCategory().entrySet()) {
      sb.append("  ").append(c.getKey()).append(":\n");
      for (TemplateRequirement q : c.getValue()) {
        RequirementOutcome r = byId.get(q.id());
        sb.append("    - id: ").append(quote(q.id())).append('\n');
        sb.append("      description: ").append(quote(q.description())).append('\n');
        sb.append("      level: ").append(quote(q.level())).append('\n');
        if (r == null) {
          sb.append("      status: \"\"\n      evidence: []\n      notes: \"\"\n");
          continue;
        }
        sb.append("      status: ").append(quote(r.status())).append('\n');
        if (r.evidence().isEmpty()) {
          sb.append("      evidence: []\n");
        } else {
          sb.append("      evidence:\n");
          for (String e : r.evidence()) {
            sb.append("        - ").append(quote(e)).append('\n');
          }
        }
        sb.append("      notes: ").append(quote(r.notes())).append('\n');
      }
    }
    return sb.toString();
  }

  /** A YAML double-quoted scalar that reads back as exactly {@code s} (JSON string escapes are valid YAML). */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> {
          // control characters, YAML's own line breaks (NEL, LS, PS) and the BOM would not read back as written
          if (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == '\u2028' || ch == '\u2029' || ch == '\ufeff') {
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
