package io.cnai.conformance.product;

import io.cnai.conformance.template.Template;
import io.cnai.core.CnaiException;
import io.cnai.core.Location;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The product's metadata for PRODUCT.yaml, read from {@code --product FILE} by {@link ProductFile}:
 * what only the submitter knows. {@code kubernetesVersion} is not here: it is the template's.
 *
 * @param platformVersion the product's version; empty: the installed stack's distribution version
 * @param repoUrl optional
 * @param evidence public URLs to list as evidence, per requirement id, after cnai's own files
 * @param locations where each field stands in the file (for errors found later, e.g. the vendor check)
 */
public record ProductInfo(
    String file,
    String platformName,
    Optional<String> platformVersion,
    String vendorName,
    String websiteUrl,
    Optional<String> repoUrl,
    String documentationUrl,
    String productLogoUrl,
    String description,
    String contactEmailAddress,
    String k8sConformanceUrl,
    Map<String, List<String>> evidence,
    Map<String, Location> locations) {

  public ProductInfo {
    evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    locations = Map.copyOf(locations);
  }

  /** The metadata fields this file fills, by their PRODUCT.yaml names (platformVersion only when given). */
  public Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("platformName", platformName);
    platformVersion.ifPresent(v -> m.put("platformVersion", v));
    m.put("vendorName", vendorName);
    m.put("websiteUrl", websiteUrl);
    repoUrl.ifPresent(v -> m.put("repoUrl", v));
    m.put("documentationUrl", documentationUrl);
    m.put("productLogoUrl", productLogoUrl);
    m.put("description", description);
    m.put("contactEmailAddress", contactEmailAddress);
    m.put("k8sConformanceUrl", k8sConformanceUrl);
    return m;
  }

  public Location location(String field) {
    return locations.getOrDefault(field, new Location(file, 0, 0));
  }

  /** Refuses evidence for requirements that the template does not list. */
  public void checkAgainst(Template t) {
    for (String id : evidence.keySet()) {
      if (t.byId(id).isEmpty()) {
        String near = io.cnai.core.Fields.closest(id, t.requirements().stream().map(r -> r.id()).toList());
        throw CnaiException.badInput(location("evidence." + id),
            "evidence for '" + id + "', which the checklist v" + t.version() + " does not list",
            near != null ? "did you mean '" + near + "'?" : "use the requirement ids of the checklist: "
                + String.join(", ", t.requirements().stream().map(r -> r.id()).toList()));
      }
    }
  }
}
