package io.cnai.conformance.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An AI Conformance checklist template of the CNCF program (its {@code docs/AIConformance-1.NN.yaml}),
 * read at run time: cnai holds no copy of the requirement texts.
 *
 * @param version the checklist's Kubernetes minor version, "1.36" (from {@code metadata.kubernetesVersion})
 * @param source where it was read from (a file, a URL, or a URL and the cache file)
 * @param sha256 the SHA-256 of the template's bytes, for the report
 * @param metadata the template's metadata keys in order, with its values (placeholders such as "[Vendor Name]")
 * @param requirements every requirement, in template order
 */
public record Template(
    String version, String source, String sha256, Map<String, String> metadata, List<TemplateRequirement> requirements) {
  public Template {
    metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    requirements = List.copyOf(requirements);
  }

  /** "v1.36", as {@code kubernetesVersion} and the submission folder write it. */
  public String tag() {
    return "v" + version;
  }

  public Optional<TemplateRequirement> byId(String id) {
    return requirements.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** The categories in template order, each with its requirements. */
  public Map<String, List<TemplateRequirement>> byCategory() {
    Map<String, List<TemplateRequirement>> out = new LinkedHashMap<>();
    for (TemplateRequirement r : requirements) {
      out.computeIfAbsent(r.category(), k -> new ArrayList<>()).add(r);
    }
    return out;
  }
}
