package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The release manifest rewrite that makes 'helm uninstall' keep PVCs (Helm reads resource-policy from it). */
class HelmReleasesManifestTest {
  private static final String PVC = """
      # Source: keeper/templates/pvc.yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: keeper-data
        labels:
          generation: "1"
          enabled: "yes"
        annotations:
          team: data
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      """;
  private static final String CONFIGMAP = """
      # Source: keeper/templates/cm.yaml
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: "keeper-settings"}
      data: {mode: "a: b"}
      """;
  private static final String STATEFULSET = """
      # Source: keeper/templates/sts.yaml
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db}
      spec:
        volumeClaimTemplates:
          - apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
      """;
  private static final String ELSEWHERE = """
      # Source: keeper/charts/store/templates/pvc.yaml
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: store
        namespace: other
      """;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<String> docs(String manifest) {
    List<String> out = new ArrayList<>(List.of(manifest.split("(?m)^---\\n", -1)));
    out.remove(0);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> annotations(String doc) throws Exception {
    Map<String, Object> m = YAML.readValue(doc, Map.class);
    return (Map<String, Object>) ((Map<String, Object>) m.get("metadata")).getOrDefault("annotations", Map.of());
  }

  @Test
  void marksEveryPvcKeepAndLeavesTheOtherDocumentsByteForByte() throws Exception {
    String manifest = "---\n" + PVC + "---\n" + CONFIGMAP + "---\n" + STATEFULSET + "---\n" + ELSEWHERE;
    List<String> kept = new ArrayList<>();
    String out = HelmReleases.keepInManifest(manifest, "PersistentVolumeClaim", "ns", kept);

    assertThat(kept).containsExactly("ns/keeper-data", "other/store");
    List<String> docs = docs(out);
    assertThat(docs).hasSize(4);
    assertThat(docs.get(0)).startsWith("# Source: keeper/templates/pvc.yaml\n");
    assertThat(annotations(docs.get(0))).containsEntry("helm.sh/resource-policy", "keep").containsEntry("team", "data");
    assertThat(YAML.readValue(docs.get(0), Map.class)).containsKeys("spec").containsEntry("kind", "PersistentVolumeClaim");
    assertThat(docs.get(0)).as("strings stay strings").contains("generation: \"1\"", "enabled: \"yes\"");
    assertThat(docs.get(1)).isEqualTo(CONFIGMAP);
    assertThat(docs.get(2)).as("a StatefulSet's claim templates are not objects of the release").isEqualTo(STATEFULSET);
    assertThat(docs.get(3)).startsWith("# Source: keeper/charts/store/templates/pvc.yaml\n");
    assertThat(annotations(docs.get(3))).containsEntry("helm.sh/resource-policy", "keep");
  }

  @Test
  void aManifestWithoutPvcsIsUnchanged() throws Exception {
    String manifest = "---\n" + CONFIGMAP + "---\n" + STATEFULSET;
    List<String> kept = new ArrayList<>();
    assertThat(HelmReleases.keepInManifest(manifest, "PersistentVolumeClaim", "ns", kept)).isEqualTo(manifest);
    assertThat(kept).isEmpty();
    assertThat(HelmReleases.keepInManifest("", "PersistentVolumeClaim", "ns", kept)).isEmpty();
  }
}
