package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.cnai.distro.KubeVersion;
import io.cnai.installer.plan.TargetFacts;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.VersionInfo;

/** Reads {@link TargetFacts} from a live cluster: version, discovery, nodes, GPUs, storage classes. */
public final class LiveFacts {
  private LiveFacts() {}

  /** The accept header of aggregated discovery: every group, version and kind in one response. */
  private static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  /**
   * {@code group/version} and {@code group/version/Kind} of everything the cluster serves, from
   * aggregated discovery (two requests: {@code /api} and {@code /apis}); null when the server does
   * not answer with it (then {@link #perGroupDiscovery} asks group by group).
   */
  static TreeSet<String> aggregatedDiscovery(KubernetesClient client) {
    TreeSet<String> apis = new TreeSet<>();
    for (String path : List.of("/api", "/apis")) {
      com.fasterxml.jackson.databind.JsonNode list;
      try {
        var http = client.getHttpClient();
        var req = http.newHttpRequestBuilder()
            .uri(client.getMasterUrl().toString().replaceAll("/+$", "") + path)
            .header("Accept", AGGREGATED + ",application/json;q=0.1")
            .build();
        var resp = http.sendAsync(req, String.class).get(30, java.util.concurrent.TimeUnit.SECONDS);
        if (resp.code() != 200 || resp.body() == null) {
          return null;
        }
        list = JSON.readTree(resp.body());
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        return null;
      }
      if (!"APIGroupDiscoveryList".equals(list.path("kind").asText())) {
        return null; // an older server, or a proxy that dropped the header: plain discovery
      }
      for (var group : list.path("items")) {
        String name = group.path("metadata").path("name").asText("");
        for (var version : group.path("versions")) {
          String gv = name.isEmpty() ? version.path("version").asText() : name + "/" + version.path("version").asText();
          apis.add(gv);
          for (var r : version.path("resources")) {
            // subresources are listed inside their resource, so every entry here is a resource
            String kind = r.path("responseKind").path("kind").asText("");
            if (!kind.isEmpty()) {
              apis.add(gv + "/" + kind);
            }
          }
        }
      }
    }
    return apis;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.cnai.installer.json.Mappers.JSON;

  /** The same as {@link #aggregatedDiscovery}, one request per group version. */
  static TreeSet<String> perGroupDiscovery(KubernetesClient client) {
    TreeSet<String> apis = new TreeSet<>();
    apis.add("v1");
    try {
      var core = client.getKubernetesSerialization().unmarshal(client.raw("/api/v1"), io.fabric8.kubernetes.api.model.APIResourceList.class);
      for (APIResource r : core.getResources()) {
        if (!r.getName().contains("/")) {
          apis.add("v1/" + r.getKind());
        }
      }
    } catch (KubernetesClientException e) {
      // the core group's version alone is known
    }
    for (APIGroup g : client.getApiGroups().getGroups()) {
      for (GroupVersionForDiscovery v : g.getVersions()) {
        apis.add(v.getGroupVersion());
        try {
          for (APIResource r : client.getApiResources(v.getGroupVersion()).getResources()) {
            if (!r.getName().contains("/")) {
              apis.add(v.getGroupVersion() + "/" + r.getKind());
            }
          }
        } catch (KubernetesClientException e) {
          // a group whose backend is down (e.g. an aggregated API): its version alone is known
        }
      }
    }
    return apis;
  }

  /** Version and nodes of the cluster: the one reader of nodes, used by providers, planner and lifecycle. */
  public static ClusterFacts cluster(KubernetesClient client) {
    VersionInfo v = client.getKubernetesVersion();
    List<ClusterFacts.NodeFacts> nodes = new ArrayList<>();
    for (Node n : client.nodes().list().getItems()) {
      nodes.add(node(n));
    }
    return new ClusterFacts(v.getGitVersion(), v.getPlatform(), nodes);
  }

  static ClusterFacts.NodeFacts node(Node n) {
    Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    boolean ready = false;
    if (n.getStatus() != null && n.getStatus().getConditions() != null) {
      for (NodeCondition c : n.getStatus().getConditions()) {
        ready |= "Ready".equals(c.getType()) && "True".equals(c.getStatus());
      }
    }
    Map<String, Quantity> alloc = n.getStatus() == null || n.getStatus().getAllocatable() == null ? Map.of() : n.getStatus().getAllocatable();
    Quantity cpu = alloc.get("cpu");
    Quantity memory = alloc.get("memory");
    Quantity gpu = alloc.get(ClusterFacts.GPU_RESOURCE);
    return new ClusterFacts.NodeFacts(n.getMetadata().getName(), ready,
        cpu == null ? "" : cpu.toString(), memory == null ? "" : memory.toString(),
        cpu == null ? 0 : cpu.getNumericalAmount().doubleValue(), memory == null ? 0 : memory.getNumericalAmount().longValue(),
        gpu == null ? 0 : gpu.getNumericalAmount().intValue(), labels.get(ClusterFacts.GPU_PRODUCT_LABEL), labels,
        n.getMetadata().getAnnotations() != null && n.getMetadata().getAnnotations().containsKey(ClusterFacts.SIMULATED_ANNOTATION));
  }

  /** What the planner needs of a live cluster: version, served APIs, nodes' capacity and GPUs, storage classes. */
  public static TargetFacts read(KubernetesClient client, String where) {
    try {
      String git = client.getKubernetesVersion().getGitVersion();
      KubeVersion version = KubeVersion.parseOrNull(git);
      if (version == null) {
        throw CnaiException.failure("the API server reports version '" + git + "', which cnai cannot read", "check the cluster");
      }
      TreeSet<String> apis = aggregatedDiscovery(client);
      if (apis == null) {
        apis = perGroupDiscovery(client);
      }
      int gpus = 0;
      double cpu = 0;
      long memory = 0;
      String product = null;
      List<Node> items = client.nodes().list().getItems();
      boolean simulated = !items.isEmpty();
      for (Node item : items) {
        ClusterFacts.NodeFacts n = node(item);
        simulated &= n.simulated();
        cpu += n.cpuCores();
        memory += n.memoryBytes();
        gpus += n.gpus();
        if (product == null && n.gpus() > 0) {
          product = n.gpuProduct();
        }
      }
      List<String> classes = new ArrayList<>();
      for (StorageClass sc : client.storage().v1().storageClasses().list().getItems()) {
        classes.add(sc.getMetadata().getName());
      }
      return new TargetFacts(version, List.copyOf(apis), items.size(), cpu, memory, gpus, product, classes, "live cluster " + where, simulated);
    } catch (KubernetesClientException e) {
      throw CnaiException.failure(
          "cannot read the facts of cluster " + where + ": " + e.getMessage(),
          "check that the cluster runs and that the kubeconfig and context are right", e);
    }
  }

  /** Facts of the cluster an access reaches, opening and closing a client; an unreachable server is a FAILURE saying so. */
  public static ClusterFacts cluster(ClusterAccess access) {
    try (KubernetesClient client = access.open()) {
      return cluster(client);
    } catch (KubernetesClientException e) {
      throw CnaiException.failure("cannot reach the API server of " + access.describe() + ": " + e.getMessage(),
          "check that the cluster runs ('cnai cluster list') and that the kubeconfig is right", e);
    }
  }
}
