package io.cnai.distro;

import io.cnai.core.Location;
import java.util.List;
import java.util.Map;

/**
 * One component of a distribution: an upstream project pinned to one version and digest, with
 * what it needs and what it provides.
 */
public record Component(
    String name,
    String description,
    String namespace,
    Source source,
    List<Subchart> subcharts,
    List<String> dependsOn,
    List<String> uses,
    Provides provides,
    List<Image> images,
    SignaturePolicy signature,
    Map<String, Object> values,
    List<ReadinessCheck> readiness,
    KubeVersion minKubernetes,
    Location location,
    Location dependsOnLocation) {

  public Component {
    subcharts = List.copyOf(subcharts);
    dependsOn = List.copyOf(dependsOn);
    uses = List.copyOf(uses);
    images = List.copyOf(images);
    readiness = List.copyOf(readiness);
  }

  /** A subchart that the chart depends on; pinned like the chart itself. */
  public record Subchart(String name, String repository, String version, String digest, Location location) {}

  /** CRD groups and kinds, and capabilities, that a component brings to the cluster. */
  public record Provides(List<CrdGroup> crds, List<String> capabilities) {
    public Provides {
      crds = List.copyOf(crds);
      capabilities = List.copyOf(capabilities);
    }

    public static Provides none() {
      return new Provides(List.of(), List.of());
    }
  }

  public record CrdGroup(String group, List<String> kinds) {
    public CrdGroup {
      kinds = List.copyOf(kinds);
    }
  }

  /** A container image the component runs; digest where upstream publishes one. */
  public record Image(String reference, String digest) {}

  /** Something that must be ready before the component counts as installed. */
  public record ReadinessCheck(String kind, String name, String namespace) {}

  /** What upstream signs and how to verify it, or why nothing can be verified. */
  public record SignaturePolicy(Policy chart, Policy images) {}

  /**
   * One signature policy. {@code type} is one of {@link #TYPES}; {@code reason} explains "none".
   */
  public record Policy(
      String type, String reason, String key, String fingerprint, String identity, String issuer) {
    public static final List<String> TYPES =
        List.of("none", "gpg-provenance", "cosign-key", "cosign-keyless", "github-attestation");
  }
}
