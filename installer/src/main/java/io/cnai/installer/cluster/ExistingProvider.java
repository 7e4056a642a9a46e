package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster cnai did not make: a kubeconfig and a context. "Creating" it checks that it is
 * reachable; cnai never deletes it. The cluster's name is the context's name.
 */
public final class ExistingProvider implements ClusterProvider {
  private final Path defaultKubeconfig;

  /** Uses $KUBECONFIG (its first file) or ~/.kube/config when a request names no kubeconfig. */
  public ExistingProvider(Path defaultKubeconfig) {
    this.defaultKubeconfig = defaultKubeconfig;
  }

  public static ExistingProvider fromEnvironment() {
    return new ExistingProvider(io.cnai.installer.kube.ClusterAccess.defaultKubeconfig());
  }

  @Override
  public String name() {
    return "existing";
  }

  @Override
  public Cluster create(ClusterRequest request) {
    Path kubeconfig = request.kubeconfig().orElse(defaultKubeconfig);
    String context = request.context().orElseGet(() -> currentContext(kubeconfig));
    Cluster cluster = new Cluster(context, name(), kubeconfig, context);
    io.cnai.installer.kube.LiveFacts.cluster(cluster.access()); // reachable, or a FAILURE that says why
    return cluster;
  }

  @Override
  public boolean makesClusters() {
    return false;
  }

  /** The cluster's name is its context's: {@code --context}, else {@code --name}. */
  @Override
  public String clusterName(String name, Optional<String> context) {
    return context.orElse(name);
  }

  @Override
  public boolean delete(String name) {
    throw CnaiException.badInput(
        "cnai does not delete clusters it did not create (provider 'existing')",
        "delete the cluster with the tool that made it");
  }

  @Override
  public List<ClusterSummary> list() {
    List<ClusterSummary> out = new ArrayList<>();
    if (!Files.isRegularFile(defaultKubeconfig)) {
      return out;
    }
    try {
      for (NamedContext c : KubeConfigUtils.parseConfig(defaultKubeconfig.toFile()).getContexts()) {
        out.add(
            new ClusterSummary(
                c.getName(), name(), ClusterSummary.State.EXTERNAL, defaultKubeconfig, "context"));
      }
    } catch (Exception e) {
      throw CnaiException.badInput(
          "cannot read kubeconfig " + defaultKubeconfig + ": " + e.getMessage(), null);
    }
    return out;
  }

  @Override
  public Optional<Cluster> find(String name) {
    return list().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .map(s -> new Cluster(name, name(), defaultKubeconfig, name));
  }

  private static String currentContext(Path kubeconfig) {
    if (!Files.isRegularFile(kubeconfig)) {
      throw CnaiException.badInput(
          "kubeconfig " + kubeconfig + " does not exist", "pass --kubeconfig and --context");
    }
    try {
      String current = KubeConfigUtils.parseConfig(kubeconfig.toFile()).getCurrentContext();
      if (current == null || current.isBlank()) {
        throw CnaiException.badInput(
            kubeconfig + " has no current context", "pass --context with the context to use");
      }
      return current;
    } catch (CnaiException e) {
      throw e;
    } catch (Exception e) {
      throw CnaiException.badInput("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), null);
    }
  }
}
