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
    Signer signer,
    List<Component> components,
    Path file,
    Location location) {

  public static final String API_VERSION = "distro.cnai.io/v1alpha1";
  public static final String KIND = "Distribution";

  public Distribution {
    components = List.copyOf(components);
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
