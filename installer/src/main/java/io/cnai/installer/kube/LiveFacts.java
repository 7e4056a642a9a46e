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

/** Reads {@link TargetFacts} from a live cluster: version, discovery, nodes, GPUs, storage classes. */
public final class LiveFacts {
  private LiveFacts() {}

  public static TargetFacts read(KubernetesClient client, String where) {
    try {
      String git = client.getKubernetesVersion().getGitVersion();
      KubeVersion version = KubeVersion.parseOrNull(git);
      if (version == null) {
        throw CnaiException.failure("the API server reports version '" + git + "', which cnai cannot read", "check the cluster");
      }
      TreeSet<String> apis = new TreeSet<>();
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
      int nodes = 0;
      int gpus = 0;
      double cpu = 0;
      long memory = 0;
      String product = null;
      for (Node n : client.nodes().list().getItems()) {
        nodes++;
        Map<String, Quantity> alloc = n.getStatus() == null || n.getStatus().getAllocatable() == null ? Map.of() : n.getStatus().getAllocatable();
        if (alloc.get("cpu") != null) {
          cpu += alloc.get("cpu").getNumericalAmount().doubleValue();
        }
        if (alloc.get("memory") != null) {
          memory += alloc.get("memory").getNumericalAmount().longValue();
        }
        Quantity g = alloc.get("nvidia.com/gpu");
        if (g != null) {
          gpus += g.getNumericalAmount().intValue();
          Map<String, String> labels = n.getMetadata().getLabels();
          if (product == null && labels != null) {
            product = labels.get("nvidia.com/gpu.product");
          }
        }
      }
      List<String> classes = new ArrayList<>();
      for (StorageClass sc : client.storage().v1().storageClasses().list().getItems()) {
        classes.add(sc.getMetadata().getName());
      }
      return new TargetFacts(version, List.copyOf(apis), nodes, cpu, memory, gpus, product, classes, "live cluster " + where);
    } catch (KubernetesClientException e) {
      throw CnaiException.failure(
          "cannot read the facts of cluster " + where + ": " + e.getMessage(),
          "check that the cluster runs and that the kubeconfig and context are right");
    }
  }
}
