package io.cnai.installer.lifecycle;

import io.cnai.installer.kube.Applier;
import io.cnai.revision.RevisionCodec;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads what cnai left in the cluster, straight from the API server (no cnai code in between). */
final class SimState {
  private SimState() {}

  /** Deletes every stack revision and inventory, so a test starts with an empty history. */
  static void resetHistory(KubernetesClient client) {
    client.secrets().inNamespace(StackRevision.NAMESPACE).withLabel(StackRevision.OWNER_LABEL, StackRevision.OWNER).delete();
    client.configMaps().inNamespace(StackRevision.NAMESPACE).withLabel(StackRevision.OWNER_LABEL, StackRevision.OWNER).delete();
  }

  static List<StackRevision> revisions(KubernetesClient client) {
    List<StackRevision> out = new ArrayList<>();
    for (Secret s : client.secrets().inNamespace(StackRevision.NAMESPACE).withLabel(StackRevision.OWNER_LABEL, StackRevision.OWNER).list().getItems()) {
      out.add(RevisionCodec.fromJson(new String(Base64.getDecoder().decode(s.getData().get(StackRevision.DATA_KEY)), StandardCharsets.UTF_8), s.getMetadata().getName()));
    }
    out.sort(Comparator.comparingInt(StackRevision::revision));
    return out;
  }

  /** Helm's release records in a namespace: "name v<version> <status>" sorted. */
  static List<String> helmRecords(KubernetesClient client, String namespace) {
    List<String> out = new ArrayList<>();
    for (Secret s : client.secrets().inNamespace(namespace).withLabel("owner", "helm").list().getItems()) {
      Map<String, String> l = s.getMetadata().getLabels();
      out.add(l.get("name") + " v" + l.get("version") + " " + l.get("status"));
    }
    out.sort(null);
    return out;
  }

  /** Deployed Helm releases by namespace/name -> version. */
  static Map<String, String> deployedReleases(KubernetesClient client) {
    Map<String, String> out = new TreeMap<>();
    for (Secret s : client.secrets().inAnyNamespace().withLabel("owner", "helm").list().getItems()) {
      Map<String, String> l = s.getMetadata().getLabels();
      if ("deployed".equals(l.get("status"))) {
        out.put(s.getMetadata().getNamespace() + "/" + l.get("name"), l.get("version"));
      }
    }
    return out;
  }

  /** Every object carrying cnai's component label, as Kind/namespace/name. */
  static List<String> labelled(KubernetesClient client, String prefix) {
    List<String> out = new ArrayList<>();
    for (var d : client.apps().deployments().inAnyNamespace().withLabel(Applier.COMPONENT_LABEL).list().getItems()) {
      if (d.getMetadata().getNamespace().startsWith(prefix)) {
        out.add("Deployment/" + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName());
      }
    }
    for (var c : client.apiextensions().v1().customResourceDefinitions().withLabel(Applier.COMPONENT_LABEL).list().getItems()) {
      out.add("CustomResourceDefinition/" + c.getMetadata().getName());
    }
    return out;
  }
}
