package io.cnai.installer.cli;

import io.cnai.installer.kube.ClusterAccess;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --kubeconfig} and {@code --context}: every command that reaches a cluster has them, with this help. */
public final class KubeOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig of the cluster (default: KUBECONFIG, else ~/.kube/config); for a cluster cnai creates, where its kubeconfig is also written.")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Context of the kubeconfig (default: its current context).")
  String context;

  /** The cluster these options name. */
  ClusterAccess access() {
    return ClusterAccess.of(kubeconfig, context);
  }
}
