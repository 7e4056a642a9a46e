package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to create: a name, the nodes (for providers that make nodes), and optionally where to write
 * the kubeconfig and, for existing clusters, which kubeconfig context to use.
 */
public record ClusterRequest(
    String name, NodeTopology nodes, Optional<Path> kubeconfig, Optional<String> context) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

  public ClusterRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(context, "context");
    checkName(name);
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
