package io.cnai.installer.lifecycle;

import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.ClusterRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.cnai.installer.cluster.NodeRegistries;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code cnai up}: create a cluster with a provider (or reach an existing one), install the stack
 * on it, and check its health.
 */
public final class UpAction extends Rollout<UpAction> {
  private final Lifecycle lifecycle;
  private final ClusterProvider provider;
  private String name = "cnai";
  private Path kubeconfig;
  private String context;
  private NodeRegistries registries = new NodeRegistries(java.util.List.of(), false);
  private Consumer<Cluster> beforeInstall = c -> {};

  /** What up did: the cluster, the install's result and the stack's health afterwards. */
  public record Result(Cluster cluster, StackResult install, StackStatus status) {}

  public UpAction(Lifecycle lifecycle, ClusterProvider provider) {
    this.lifecycle = lifecycle;
    this.provider = provider;
  }

  public UpAction name(String name) {
    this.name = name;
    return this;
  }

  /** Where the kubeconfig is also written (a new cluster), or which to use (an existing one). */
  public UpAction kubeconfig(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    return this;
  }

  /** The context of an existing cluster. */
  public UpAction context(String context) {
    this.context = context;
    return this;
  }

  /** Registries the new cluster's nodes pull from (local provider). */
  public UpAction registries(NodeRegistries registries) {
    this.registries = registries;
    return this;
  }

  /** What to do on the new cluster before the stack goes on (e.g. push the images it runs). */
  public UpAction beforeInstall(Consumer<Cluster> step) {
    this.beforeInstall = step;
    return this;
  }

  /** {@code say}: the lines to show before long steps (the cluster being created). */
  public Result run(Consumer<String> say) {
    String clusterName = provider.clusterName(name, Optional.ofNullable(context));
    say.accept("cluster: creating '" + clusterName + "' with provider " + provider.name());
    Cluster c = provider.create(new ClusterRequest(clusterName, provider.defaultTopology(), Optional.ofNullable(kubeconfig),
        Optional.ofNullable(context), registries));
    beforeInstall.accept(c);
    try (StackContext ctx = lifecycle.open(c.access())) {
      StackResult r = new InstallAction(ctx).source(source).timeout(timeout).requireLocked(requireLocked)
          .allowUnverified(allowUnverified).run();
      return new Result(c, r, new StatusAction(ctx).run());
    }
  }
}
