package io.cnai.distro;

import io.cnai.core.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A cnai distribution release: one lockfile that pins every component of the stack. */
public record Distribution(
    String name,
    String version,
    String description,
    KubeVersion minKubernetes,
    KubeVersion maxKubernetes,
    List<TestedOn> testedKubernetes,
    Signer signer,
    List<Component> components,
    Path file,
    Location location) {

  public static final String API_VERSION = "distro.cnai.io/v1alpha1";
  public static final String KIND = "Distribution";

  public Distribution {
    components = List.copyOf(components);
    testedKubernetes = testedKubernetes == null ? List.of() : List.copyOf(testedKubernetes);
  }

  /** The entry of {@code spec.kubernetes.tested} whose minor line is {@code v}'s, if any. */
  public Optional<TestedOn> testedOn(KubeVersion v) {
    return testedKubernetes.stream().filter(t -> t.version().compareMinor(v) == 0).findFirst();
  }

  /**
   * As {@link #testedOn(KubeVersion)}, for a cluster that is {@code simulated} (a sim cluster) or
   * not: a test on a sim cluster ({@code cluster: sim}, where no container runs) stands for sim
   * clusters only.
   */
  public Optional<TestedOn> testedOn(KubeVersion v, boolean simulated) {
    return testedKubernetes.stream().filter(t -> t.version().compareMinor(v) == 0)
        .filter(t -> simulated || !TestedOn.SIM.equals(t.cluster())).findFirst();
  }

  /**
   * A Kubernetes version this release was tested on, and on what kind of cluster ({@code sim},
   * {@code kind}, {@code eks}, ...): {@code spec.kubernetes.tested[]}.
   */
  public record TestedOn(KubeVersion version, String cluster) {
    /** The kind of cluster of a test on cnai's sim cluster (kwok nodes, no container runs). */
    public static final String SIM = "sim";

    @Override
    public String toString() {
      return version + " (" + cluster + ")";
    }
  }

  public Optional<Component> component(String name) {
    return components.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public List<String> componentNames() {
    return components.stream().map(Component::name).toList();
  }

  /** Who signs this distribution: a keyless identity and issuer, or a public key file. */
  public record Signer(String identity, String issuer, String publicKey) {}
}
