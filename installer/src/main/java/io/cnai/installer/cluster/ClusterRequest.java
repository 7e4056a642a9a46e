package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to create: a name, the nodes (for providers that make nodes), optionally where to write
 * the kubeconfig and, for existing clusters, which kubeconfig context to use, and where nodes that
 * run containers pull images from.
 */
public record ClusterRequest(
    String name, NodeTopology nodes, Optional<Path> kubeconfig, Optional<String> context, NodeRegistries registries) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

  public ClusterRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(registries, "registries");
    checkName(name);
  }

  /** A request whose nodes pull images as they are named (no mirrors). */
  public ClusterRequest(String name, NodeTopology nodes, Optional<Path> kubeconfig, Optional<String> context) {
    this(name, nodes, kubeconfig, context, NodeRegistries.none());
  }

  /** The same request, with nodes that pull through {@code r}. */
  public ClusterRequest withRegistries(NodeRegistries r) {
    return new ClusterRequest(name, nodes, kubeconfig, context, r);
  }

  public static ClusterRequest of(String name, NodeTopology nodes) {
    return new ClusterRequest(name, nodes, Optional.empty(), Optional.empty());
  }

  /** Cluster names become directory names, certificate names and context names. */
  public static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw CnaiException.badInput(
          "invalid cluster name '" + name + "'",
          "use 1 to 40 lower-case letters, digits and '-', starting and ending with a letter or digit");
    }
  }
}
