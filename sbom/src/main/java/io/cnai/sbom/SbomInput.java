package io.cnai.sbom;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an SBOM of a distribution says, in plain terms: the release and its components. The
 * installer builds it from a rendered plan; this module only turns it into CycloneDX.
 *
 * @param name distribution name
 * @param version distribution version
 * @param description one line, or null
 * @param timestamp when the SBOM was made (injected: the same input gives the same bytes)
 * @param components the components, in plan order
 * @param properties facts about what the SBOM describes (profile, plan digest, lockfile digest),
 *     written as metadata properties in this order
 */
public record SbomInput(
    String name, String version, String description, Instant timestamp, List<StackComponent> components, Map<String, String> properties) {
  public SbomInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(timestamp, "timestamp");
    components = List.copyOf(components);
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  public SbomInput(String name, String version, String description, Instant timestamp, List<StackComponent> components) {
    this(name, version, description, timestamp, components, Map.of());
  }

  /**
   * One component of the stack.
   *
   * @param name component name (unique in the distribution)
   * @param version the version its source pins (chart version, manifest release)
   * @param namespace where it is installed, or null
   * @param sourceType "helm", "manifest", "kustomize" ...
   * @param sourceLocation the chart repository or manifest URL
   * @param artifacts the chart and its subcharts, or the manifests: what was fetched and verified
   * @param images the container images it runs
   * @param licenses SPDX ids or licence names, where known
   * @param dependsOn names of the components it depends on
   */
  public record StackComponent(
      String name,
      String version,
      String namespace,
      String sourceType,
      String sourceLocation,
      List<Artifact> artifacts,
      List<Image> images,
      List<String> licenses,
      List<String> dependsOn) {
    public StackComponent {
      Objects.requireNonNull(name, "name");
      artifacts = List.copyOf(artifacts);
      images = List.copyOf(images);
      licenses = List.copyOf(licenses);
      dependsOn = List.copyOf(dependsOn);
    }
  }

  /**
   * A fetched artifact: a chart, a subchart, a manifest.
   *
   * @param kind "chart", "subchart" or "manifest"
   * @param name its name
   * @param version its version, or null
   * @param location where it came from, or null
   * @param digest "sha256:&lt;hex&gt;", or null when not known
   */
  public record Artifact(String kind, String name, String version, String location, String digest) {
    public Artifact {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A container image reference and where it was found.
   *
   * @param reference as written: [registry/]repository[:tag][@sha256:hex]
   * @param foundIn e.g. "Deployment certs-system/certs-controller" or "lockfile"
   */
  public record Image(String reference, List<String> foundIn) {
    public Image {
      Objects.requireNonNull(reference, "reference");
      foundIn = List.copyOf(foundIn);
    }
  }
}
