package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Opens Kubernetes clients for a {@link Cluster} and reads its {@link ClusterFacts}. */
public final class KubeAccess {
  /** The extended resource NVIDIA's device plugin advertises. */
  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  private KubeAccess() {}

  /** A client for the cluster's kubeconfig and context; the caller closes it. */
  public static KubernetesClient client(Cluster cluster) {
    if (!Files.isRegularFile(cluster.kubeconfig())) {
      throw CnaiException.badInput(
          "kubeconfig " + cluster.kubeconfig() + " does not exist",
          "pass --kubeconfig with the path of an existing kubeconfig file");
    }
    try {
      Config config = Config.fromKubeconfig(cluster.context(), cluster.kubeconfig().toFile());
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (KubernetesClientException e) {
      throw CnaiException.badInput(
          "cannot use context '" + cluster.context() + "' of " + cluster.kubeconfig() + ": " + e.getMessage(),
          "check the kubeconfig and the --context name");
    }
  }

  /** Reads version and nodes from the API server. */
  public static ClusterFacts facts(KubernetesClient client) {
    VersionInfo v = client.getKubernetesVersion();
    List<ClusterFacts.NodeFacts> nodes = new ArrayList<>();
    for (Node n : client.nodes().list().getItems()) {
      nodes.add(nodeFacts(n));
    }
    return new ClusterFacts(v.getGitVersion(), v.getPlatform(), nodes);
  }

  static ClusterFacts.NodeFacts nodeFacts(Node n) {
    Map<String, String> labels =
        n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    boolean ready = false;
    if (n.getStatus() != null && n.getStatus().getConditions() != null) {
      for (NodeCondition c : n.getStatus().getConditions()) {
        if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
          ready = true;
        }
      }
    }
    Map<String, Quantity> alloc =
        n.getStatus() == null || n.getStatus().getAllocatable() == null
            ? Map.of()
            : n.getStatus().getAllocatable();
    Quantity gpu = alloc.get(GPU_RESOURCE);
    return new ClusterFacts.NodeFacts(
        n.getMetadata().getName(),
        ready,
        alloc.containsKey("cpu") ? alloc.get("cpu").toString() : "",
        alloc.containsKey("memory") ? alloc.get("memory").toString() : "",
        gpu == null ? 0 : gpu.getNumericalAmount().intValue(),
        labels.get("nvidia.com/gpu.product"),
        labels);
  }

  /** Facts of a cluster, opening and closing a client. */
  public static ClusterFacts facts(Cluster cluster) {
    if (Files.isRegularFile(cluster.kubeconfig())) {
      try {
        io.cnai.installer.kube.KubeTarget.probe(Config.fromKubeconfig(cluster.context(), cluster.kubeconfig().toFile()),
            "cluster '" + cluster.name() + "', " + cluster.kubeconfig(), cluster.kubeconfig());
      } catch (KubernetesClientException e) {
        // an unreadable kubeconfig: client() below says so
      }
    }
    try (KubernetesClient client = client(cluster)) {
      return facts(client);
    } catch (KubernetesClientException e) {
      throw CnaiException.failure(
          "cannot reach the API server of cluster '" + cluster.name() + "': " + e.getMessage(),
          "check that the cluster runs (cnai cluster list) and that the kubeconfig "
              + cluster.kubeconfig() + " is right",
          e);
    }
  }
}
