package io.cnai.conformance.report;

import io.cnai.conformance.template.Template;
import io.cnai.conformance.template.TemplateRequirement;
import io.cnai.core.CnaiException;
import io.cnai.core.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a PRODUCT.yaml against its template with the rules of the program's validator
 * ({@code scripts/validate.go} of cncf/k8s-ai-conformance), ported: the folder's version names the
 * template; metadata fields present (camelCase or snake_case), strings, not empty, no value in
 * {@code [brackets]}, {@code k8sConformanceUrl} in the k8s-conformance repository; every category
 * and requirement of the template present; a SHOULD left with empty status and evidence is
 * skipped; status one of four; MUST means Implemented; N/A needs notes; relative evidence files
 * exist beside the file. Added from the program's instructions: {@code id}, {@code description}
 * and {@code level} exactly as in the template; and from cnai: an (partially) implemented answer
 * names its evidence, and {@code kubernetesVersion} is the template's. Not checked here (they need
 * the network): that URLs answer, and CNCF membership of the vendor ({@code VendorCheck}).
 */
public final class ProductValidator {
  public static final List<String> STATUSES = List.of("Implemented", "Not Implemented", "Partially Implemented", "N/A");
  /** The validator's metadata fields: true when required. */
  static final Map<String, Boolean> METADATA_FIELDS = new LinkedHashMap<>();
  static final Pattern K8S_CONFORMANCE_URL =
      Pattern.compile("^https://github\\.com/cncf/k8s-conformance/tree/(master|main)/v\\d+\\.\\d+/[^/]+/?$");
  static final Pattern VERSION_DIR = Pattern.compile("(?:^|/)(v\\d+\\.\\d+)/");

  static {
    for (String k : ProductYaml.METADATA) {
      METADATA_FIELDS.put(k, !k.equals("repoUrl"));
    }
  }

  private ProductValidator() {}

  /** A value the validator takes for a placeholder: it starts with '[' and ends with ']'. */
  public static boolean placeholder(String s) {
    return s.startsWith("[") && s.endsWith("]");
  }

  public static List<Violation> validate(Path file, Template template) {
    if (!Files.isRegularFile(file)) {
      throw CnaiException.badInput(file + " does not exist", "run 'cnai conformance run' to write it");
    }
    Object root = Yaml.read(file).toPlain();
    List<Violation> v = new ArrayList<>();
    Matcher dir = VERSION_DIR.matcher(file.toAbsolutePath().normalize().toString().replace('\\', '/'));
    String folderVersion = null;
    while (dir.find()) {
      folderVersion = dir.group(1);
    }
    if (folderVersion != null && !folderVersion.equals(template.tag())) {
      v.add(new Violation("(folder)", "the file lies under " + folderVersion + "/, so the program checks it against the "
          + folderVersion + " template, not " + template.tag(), "lay it out with 'cnai conformance submit-dir'"));
    }
    if (!(root instanceof Map<?, ?> top)) {
      v.add(new Violation("(top)", "must be a mapping with metadata and spec", "start from the file cnai writes"));
      return v;
    }
    metadata(top.get("metadata"), template, v);
    if (top.get("spec") instanceof Map<?, ?> spec) {
      Path productDir = file.toAbsolutePath().getParent();
      for (Map.Entry<String, List<TemplateRequirement>> cat : template.byCategory().entrySet()) {
        if (!(spec.get(cat.getKey()) instanceof List<?> items)) {
          v.add(new Violation("spec." + cat.getKey(), "category is missing (or not a list)", "list its requirements as the template does"));
          continue;
        }
        Map<String, Map<?, ?>> byId = new LinkedHashMap<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i) instanceof Map<?, ?> m && m.get("id") != null) {
            byId.put(m.get("id").toString(), m);
            index.put(m.get("id").toString(), i);
          }
        }
        for (TemplateRequirement q : cat.getValue()) {
          Map<?, ?> item = byId.get(q.id());
          if (item == null) {
            v.add(new Violation("spec." + cat.getKey(), "requirement '" + q.id() + "' of the template is missing",
                "add it with its status, evidence and notes"));
            continue;
          }
          requirement("spec." + cat.getKey() + "[" + index.get(q.id()) + "] (" + q.id() + ")", q, item, productDir, v);
        }
      }
    } else {
      v.add(new Violation("spec", "is missing", "list every requirement of the template by category"));
    }
    return v;
  }

  private static void metadata(Object m, Template t, List<Violation> v) {
    if (!(m instanceof Map<?, ?> meta)) {
      v.add(new Violation("metadata", "is missing", "fill in the product's metadata (--product FILE)"));
      return;
    }
    for (Map.Entry<String, Boolean> f : METADATA_FIELDS.entrySet()) {
      String field = f.getKey();
      boolean required = f.getValue();
      String where = "metadata." + field;
      Object val = meta.containsKey(field) ? meta.get(field) : meta.get(snake(field));
      if (val == null) {
        if (required) {
          v.add(new Violation(where, "is missing", "fill it in (--product FILE)"));
        }
        continue;
      }
      if (!(val instanceof String s)) {
        v.add(new Violation(where, "is not a string", "quote it"));
        continue;
      }
      if (s.isEmpty()) {
        if (required) {
          v.add(new Violation(where, "is empty", "fill it in (--product FILE)"));
        }
      } else if (placeholder(s)) {
        v.add(new Violation(where, "still holds the placeholder " + s, "give the real value in the --product file"));
      } else if (field.equals("k8sConformanceUrl") && !K8S_CONFORMANCE_URL.matcher(s).matches()) {
        v.add(new Violation(where, "must be https://github.com/cncf/k8s-conformance/tree/master/v1.NN/<product>",
            "link the product's Kubernetes conformance submission"));
      } else if (field.equals("kubernetesVersion") && !s.equals(t.tag())) {
        v.add(new Violation(where, "is " + s + " but the template is " + t.tag(), "leave it as the template has it"));
      }
    }
  }

  private static void requirement(String where, TemplateRequirement q, Map<?, ?> item, Path dir, List<Violation> v) {
    String description = item.get("description") instanceof String s ? s : String.valueOf(item.get("description"));
    String level = String.valueOf(item.get("level"));
    if (!q.description().equals(description)) {
      v.add(new Violation(where + ".description", "differs from the template's", "write it exactly as the template has it"));
    }
    if (!q.level().equals(level)) {
      v.add(new Violation(where + ".level", "is '" + level + "', the template has '" + q.level() + "'",
          "write it exactly as the template has it"));
    }
    String status = item.get("status") == null ? "" : item.get("status").toString();
    List<?> evidence = item.get("evidence") instanceof List<?> l ? l : List.of();
    if ("SHOULD".equals(q.level()) && status.isEmpty() && evidence.isEmpty()) {
      return; // the validator lets a SHOULD stay unanswered
    }
    String notes = item.get("notes") == null ? "" : item.get("notes").toString();
    if (!STATUSES.contains(status)) {
      v.add(new Violation(where + ".status", "'" + status + "' is not one of " + STATUSES, "use one of them"));
    }
    if (q.must() && !"Implemented".equals(status)) {
      v.add(new Violation(where + ".status", "a MUST requirement must be Implemented, is '" + status + "'",
          "make the platform meet it and run the suite where its checks can run; see the notes and the evidence"));
    }
    if ("N/A".equals(status) && notes.isEmpty()) {
      v.add(new Violation(where + ".notes", "N/A needs a justification in notes", "say why it does not apply"));
    }
    if (evidence.isEmpty() && Set.of("Implemented", "Partially Implemented").contains(status)) {
      v.add(new Violation(where + ".evidence", "is empty", "link the evidence that shows it is implemented"));
    }
    for (Object e : evidence) {
      String s = String.valueOf(e);
      if (s.isEmpty() || s.startsWith("http://") || s.startsWith("https://")) {
        continue; // URLs: the program's validator fetches them; not checked offline
      }
      if (!Files.exists(dir.resolve(s))) {
        v.add(new Violation(where + ".evidence", "file " + s + " does not exist beside PRODUCT.yaml",
            "write it there or link a URL"));
      }
    }
  }

  /** The validator's toSnakeCase: "k8sConformanceUrl" -> "k8s_conformance_url". */
  static String snake(String s) {
    String a = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return a.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
