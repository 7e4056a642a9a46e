package io.cnai.installer.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.cluster.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What cnai e2e (and the conformance scenarios that run it) may remove: only objects carrying its
 * labels. A custom resource or a claim of the same name made by someone else is kept, on a real API server.
 */
@SimClusterTest
class WorkloadsDataSimTest {
  static final Map<String, String> OURS = Map.of("app.kubernetes.io/managed-by", "cnai-e2e");

  @Test
  void aCustomResourceWithoutOurLabelsIsKeptAndOursIsDeleted(KubernetesClient client, TestNamespace ns) {
    Applier a = new Applier(client);
    String group = ns.name() + ".cnai.test";
    ObjectRef crd = a.apply("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: rayjobs.%1$s}
        spec:
          group: %1$s
          scope: Namespaced
          names: {plural: rayjobs, singular: rayjob, kind: RayJob}
          versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
        """.formatted(group), null, Map.of(), Map.of());
    try {
      new Readiness(client).await("t", List.of(crd), Duration.ofSeconds(60));
      ObjectRef theirs = a.apply("""
          apiVersion: %s/v1
          kind: RayJob
          metadata: {name: ray-tune}
          spec: {entrypoint: "python their_job.py"}
          """.formatted(group), ns.name(), Map.of(), Map.of());
      Workloads w = Workloads.of(client);
      w.deleteIfOursAndWait(theirs, OURS, Duration.ofSeconds(20));
      assertThat(a.get(theirs)).as("a RayJob cnai e2e did not make").isNotNull();

      ObjectRef ours = a.apply("""
          apiVersion: %s/v1
          kind: RayJob
          metadata: {name: ours}
          spec: {entrypoint: "python tune_digits.py"}
          """.formatted(group), ns.name(), OURS, Map.of());
      w.deleteIfOursAndWait(ours, OURS, Duration.ofSeconds(20));
      assertThat(a.get(ours)).as("cnai e2e's own RayJob").isNull();
      assertThat(a.get(theirs)).isNotNull();
    } finally {
      a.delete(crd);
    }
  }

  @Test
  void aClaimOfTheSameNameWithoutOurLabelsIsRefusedAndKept(KubernetesClient client, TestNamespace ns) {
    client.persistentVolumeClaims().inNamespace(ns.name()).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("scratch").addToLabels("owner", "someone").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
        .endSpec().build()).create();
    assertThatThrownBy(() -> Workloads.of(client).ensureClaim(ns.name(), "scratch", "2Gi", OURS))
        .isInstanceOf(CnaiException.class).hasMessageContaining("was not made by cnai e2e");
    var kept = client.persistentVolumeClaims().inNamespace(ns.name()).withName("scratch").get();
    assertThat(kept).isNotNull();
    assertThat(kept.getMetadata().getLabels()).containsEntry("owner", "someone").doesNotContainKeys(OURS.keySet().toArray(String[]::new));
    assertThat(kept.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("1Gi"));
  }
}
