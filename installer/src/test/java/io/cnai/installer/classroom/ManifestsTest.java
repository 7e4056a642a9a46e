package io.cnai.installer.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cnai.installer.json.Mappers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The objects of one student: what their quota, RBAC, isolation, credentials and server say. */
class ManifestsTest {
  private static final Student ADA = new Student("ada", Size.MEDIUM, null);
  private static final Manifests.Settings SETTINGS = new Manifests.Settings("reg.local/jupyterlab:1", "http://class.lan:8080/");

  private static JsonNode kind(List<String> docs, String kind) throws Exception {
    for (String d : docs) {
      JsonNode n = Mappers.YAML.readTree(d);
      if (kind.equals(n.path("kind").asText())) {
        return n;
      }
    }
    return null;
  }

  @Test
  void namespaceFirstThenQuotaRbacIsolationCredentialsServer() throws Exception {
    List<String> docs = Manifests.student(ADA, SETTINGS, "tok123", Map.of("a.md", "hello ada"), null);
    assertThat(Mappers.YAML.readTree(docs.get(0)).path("kind").asText()).isEqualTo("Namespace");
    JsonNode ns = kind(docs, "Namespace");
    assertThat(ns.path("metadata").path("name").asText()).isEqualTo("class-ada");
    assertThat(ns.path("metadata").path("annotations").path(Manifests.SIZE_ANNOTATION).asText()).isEqualTo("medium");

    JsonNode quota = kind(docs, "ResourceQuota").path("spec").path("hard");
    assertThat(quota.path("requests.cpu").asText()).isEqualTo("2000m");
    assertThat(quota.path("requests.memory").asText()).isEqualTo("2048Mi");
    assertThat(quota.path("requests.nvidia.com/gpu").asText()).isEqualTo("1");
    assertThat(kind(docs, "LimitRange").path("spec").path("limits").get(0).path("defaultRequest").path("cpu").asText()).isEqualTo("100m");

    JsonNode binding = kind(docs, "RoleBinding");
    assertThat(binding.path("metadata").path("namespace").asText()).isEqualTo("class-ada");
    assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(Manifests.SHARED_NAME);
    assertThat(binding.path("subjects").findValuesAsText("name")).containsExactly("student-ada", "student-ada");

    JsonNode np = kind(docs, "NetworkPolicy").path("spec");
    assertThat(np.path("podSelector").isEmpty()).isTrue();
    assertThat(np.path("ingress").get(1).path("from").get(0).path("namespaceSelector").path("matchExpressions").get(0).path("operator").asText())
        .isEqualTo("DoesNotExist");
    assertThat(np.path("ingress")).as("no pod ranges known: only pods are let in").hasSize(2);

    JsonNode secret = kind(docs, "Secret");
    assertThat(new String(java.util.Base64.getDecoder().decode(secret.path("data").path("token").asText()))).isEqualTo("tok123");
    assertThat(new String(java.util.Base64.getDecoder().decode(secret.path("data").path("url").asText())))
        .isEqualTo("http://class.lan:8080/class-ada/lab");
    assertThat(kind(docs, "ConfigMap").path("data").path("a.md").asText()).isEqualTo("hello ada");

    JsonNode container = kind(docs, "Deployment").path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(container.path("image").asText()).isEqualTo("reg.local/jupyterlab:1");
    assertThat(container.path("args").toString()).contains("--ServerApp.base_url=/class-ada/");
    assertThat(container.path("env").get(0).path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo(Manifests.CREDENTIALS);
    assertThat(kind(docs, "Ingress").path("spec").path("rules").get(0).path("http").path("paths").get(0).path("path").asText()).isEqualTo("/class-ada/");
    assertThat(kind(docs, "LocalQueue")).as("no Kueue: no queue").isNull();
  }

  @Test
  void withTheClustersPodRangesTrafficFromOutsideThemIsLetIn() throws Exception {
    List<String> docs = Manifests.student(ADA, SETTINGS, "t", Map.of(), null, List.of("10.202.0.0/24", "10.202.1.0/24"));
    JsonNode ingress = kind(docs, "NetworkPolicy").path("spec").path("ingress");
    assertThat(ingress).hasSize(3);
    JsonNode block = ingress.get(2).path("from").get(0).path("ipBlock");
    assertThat(block.path("cidr").asText()).isEqualTo("0.0.0.0/0");
    assertThat(block.path("except").findValuesAsText("except")).isEmpty();
    assertThat(List.of(block.path("except").get(0).asText(), block.path("except").get(1).asText()))
        .containsExactly("10.202.0.0/24", "10.202.1.0/24");
    assertThat(ingress.get(0).path("from").get(0).path("podSelector").isEmpty()).as("the namespace's own pods still").isTrue();
  }

  @Test
  void withKueueAQueueUnderTheSharedClusterQueueSizedForTheClass() throws Exception {
    List<String> docs = Manifests.student(ADA, SETTINGS, "t", Map.of(), "kueue.x-k8s.io/v1beta2");
    JsonNode lq = kind(docs, "LocalQueue");
    assertThat(lq.path("apiVersion").asText()).isEqualTo("kueue.x-k8s.io/v1beta2");
    assertThat(lq.path("spec").path("clusterQueue").asText()).isEqualTo(Manifests.CLUSTER_QUEUE);
    List<String> shared = Manifests.queues("kueue.x-k8s.io/v1beta2", List.of(ADA, new Student("bob", Size.SMALL, null)));
    JsonNode cq = kind(shared, "ClusterQueue").path("spec");
    assertThat(cq.path("namespaceSelector").path("matchLabels").path(Manifests.CLASSROOM_LABEL).asText()).isEqualTo("true");
    assertThat(cq.path("resourceGroups").get(0).path("flavors").get(0).path("resources").get(0).path("nominalQuota").asText()).isEqualTo("3000m");
    assertThat(cq.path("fairSharing").path("weight").asText()).isEqualTo("1");
    assertThat(kind(shared, "ResourceFlavor")).isNotNull();
  }

  @Test
  void urlThatIsNotPlainHttpIsRefused() {
    for (String bad : List.of("ftp://x", "http://h/<script>", "http://a b", "classroom.lan")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Manifests.Settings("i", bad)).as(bad)
          .isInstanceOfSatisfying(io.cnai.core.CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }
  }

  @Test
  void imageAndUrlAreQuotedWhateverTheyHold() throws Exception {
    List<String> docs = Manifests.student(ADA, new Manifests.Settings("img:\"x\"#1", "http://h/#a"), "t", Map.of("x: y.md", "a: b\n# c"), null);
    assertThat(kind(docs, "Namespace").path("metadata").path("annotations").path(Manifests.IMAGE_ANNOTATION).asText()).isEqualTo("img:\"x\"#1");
    assertThat(kind(docs, "ConfigMap").path("data").path("x: y.md").asText()).isEqualTo("a: b\n# c");
  }
}
