package io.cnai.conformance.report;

import io.cnai.conformance.Requirement;
import io.cnai.core.CnaiException;
import io.cnai.core.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a PRODUCT.yaml with the rules the CNCF validator applies to AI Conformance submissions:
 * every requirement of the checklist present; MUST means Implemented; a status is one of the four
 * allowed; N/A has notes; evidence is given, and relative evidence files exist beside the file; no
 * {@code [placeholder]} is left; metadata is complete; the Kubernetes conformance URL points into
 * the k8s-conformance repository. Not checked here (they need the network): that URLs resolve and
 * that the vendor is a CNCF member.
 */
public final class ProductValidator {
  public static final List<String> STATUSES = List.of("Implemented", "Not Implemented", "Partially Implemented", "N/A");
  static final List<String> REQUIRED_METADATA = List.of(
      "kubernetesVersion", "platformName", "platformVersion", "vendorName", "websiteUrl",
      "documentationUrl", "productLogoUrl", "description", "contactEmailAddress", "k8sConformanceUrl");
  static final Pattern PLACEHOLDER = Pattern.compile("^\\s*\\[.*]\\s*$");
  static final Pattern K8S_CONFORMANCE_URL =
      Pattern.compile("^https://github\\.com/cncf/k8s-conformance/tree/(master|main)/v1\\.\\d+/[^/\\s]+/?$");

  private ProductValidator() {}

  public static List<Violation> validate(Path file, List<Requirement> checklist) {
    if (!Files.isRegularFile(file)) {
      throw CnaiException.badInput(file + " does not exist", "run 'cnai conformance run' to write it");
    }
    Object root = Yaml.read(file).toPlain();
    List<Violation> v = new ArrayList<>();
    if (!(root instanceof Map<?, ?> top)) {
      v.add(new Violation("(top)", "must be a mapping with metadata and spec", "start from the file cnai writes"));
      return v;
    }
    metadata(top.get("metadata"), v);
    Set<String> seen = new HashSet<>();
    if (top.get("spec") instanceof Map<?, ?> spec) {
      for (Map.Entry<?, ?> cat : spec.entrySet()) {
        if (!(cat.getValue() instanceof List<?> items)) {
          v.add(new Violation("spec." + cat.getKey(), "must be a list of requirements", "list the category's requirements"));
          continue;
        }
        for (int i = 0; i < items.size(); i++) {
          String where = "spec." + cat.getKey() + "[" + i + "]";
          if (items.get(i) instanceof Map<?, ?> item) {
            Object id = item.get("id");
            if (id != null) {
              seen.add(id.toString());
              where = where + " (" + id + ")";
            }
            requirement(where, item, file.toAbsolutePath().getParent(), v);
          } else {
            v.add(new Violation(where, "must be a mapping", "give id, description, level, status, evidence, notes"));
          }
        }
      }
    } else {
      v.add(new Violation("spec", "is missing", "list every requirement of the checklist by category"));
    }
    for (Requirement r : checklist) {
      if (!seen.contains(r.id())) {
        v.add(new Violation("spec." + r.category(), "requirement '" + r.id() + "' of the checklist is missing",
            "add it with its status"));
      }
    }
    return v;
  }

  private static void metadata(Object m, List<Violation> v) {
    if (!(m instanceof Map<?, ?> meta)) {
      v.add(new Violation("metadata", "is missing", "fill in the product's metadata"));
      return;
    }
    for (String k : REQUIRED_METADATA) {
      Object val = meta.get(k);
      if (val == null || val.toString().isBlank()) {
        v.add(new Violation("metadata." + k, "is missing or empty", "fill it in"));
      }
    }
    for (Map.Entry<?, ?> e : meta.entrySet()) {
      if (e.getValue() != null && PLACEHOLDER.matcher(e.getValue().toString()).matches()) {
        v.add(new Violation("metadata." + e.getKey(), "still holds the placeholder " + e.getValue(),
            "replace it with the product's real value before submitting"));
      }
    }
    Object url = meta.get("k8sConformanceUrl");
    if (url != null && !PLACEHOLDER.matcher(url.toString()).matches()
        && !K8S_CONFORMANCE_URL.matcher(url.toString()).matches()) {
      v.add(new Violation("metadata.k8sConformanceUrl", "must point to github.com/cncf/k8s-conformance/tree/main/vX.Y/<product>",
          "link the product's Kubernetes conformance submission"));
    }
  }

  private static void requirement(String where, Map<?, ?> item, Path dir, List<Violation> v) {
    for (String k : List.of("id", "level", "status")) {
      if (item.get(k) == null || item.get(k).toString().isBlank()) {
        v.add(new Violation(where + "." + k, "is missing", "fill it in"));
      }
    }
    String level = String.valueOf(item.get("level"));
    String status = String.valueOf(item.get("status"));
    String notes = item.get("notes") == null ? "" : item.get("notes").toString();
    if (item.get("status") != null && !STATUSES.contains(status)) {
      v.add(new Violation(where + ".status", "'" + status + "' is not one of " + STATUSES, "use one of them"));
    }
    if ("MUST".equals(level) && !"Implemented".equals(status)) {
      v.add(new Violation(where + ".status", "a MUST requirement must be Implemented, is '" + status + "'",
          "make the platform meet it and run the suite where its checks can run; see the notes and the evidence"));
    }
    if ("N/A".equals(status) && notes.isBlank()) {
      v.add(new Violation(where + ".notes", "N/A needs a justification in notes", "say why it does not apply"));
    }
    for (Map.Entry<?, ?> e : item.entrySet()) {
      if (e.getValue() instanceof String s && PLACEHOLDER.matcher(s).matches()) {
        v.add(new Violation(where + "." + e.getKey(), "still holds the placeholder " + s, "replace it"));
      }
    }
    List<?> evidence = item.get("evidence") instanceof List<?> l ? l : List.of();
    if (evidence.isEmpty() && ("Implemented".equals(status) || "Partially Implemented".equals(status))) {
      v.add(new Violation(where + ".evidence", "is empty", "link the evidence that shows it is implemented"));
    }
    for (Object e : evidence) {
      String s = String.valueOf(e);
      if (s.startsWith("http://") || s.startsWith("https://")) {
        continue;
      }
      String rel = s.startsWith("file://") ? s.substring("file://".length()) : s;
      rel = rel.replaceFirst("#.*$", "");
      if (!Files.isRegularFile(dir.resolve(rel))) {
        v.add(new Violation(where + ".evidence", "file " + s + " does not exist beside PRODUCT.yaml",
            "write it there or link a URL"));
      }
    }
  }
}
