package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.cluster.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The API machinery is the real one: CRDs with schemas, server-side apply with field managers. */
@SimClusterTest
class ApiSimTest {
  static final String GROUP = "sim.test.cnai.io";

  static CustomResourceDefinition gadgetCrd() {
    JSONSchemaProps spec =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withRequired("gpus")
            .addToProperties("gpus", new JSONSchemaPropsBuilder().withType("integer").withMinimum(1.0).withMaximum(8.0).build())
            .addToProperties("tier", new JSONSchemaPropsBuilder().withType("string")
                .withEnum(TextNode.valueOf("gold"), TextNode.valueOf("silver"))
                .build())
            .build();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("gadgets." + GROUP).endMetadata()
        .withNewSpec()
        .withGroup(GROUP)
        .withScope("Namespaced")
        .withNewNames().withKind("Gadget").withPlural("gadgets").withSingular("gadget").withListKind("GadgetList").endNames()
        .addNewVersion()
        .withName("v1alpha1").withServed(true).withStorage(true)
        .withNewSchema()
        .withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object").addToProperties("spec", spec).build())
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }

  static GenericKubernetesResource gadget(String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(GROUP + "/v1alpha1").withKind("Gadget")
        .withNewMetadata().withName(name).endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  @Test
  void crdIsEstablishedServedAndValidated(KubernetesClient client, TestNamespace ns) {
    CustomResourceDefinition crd = gadgetCrd();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    try {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                  && c.getStatus().getConditions().stream()
                      .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
              60, TimeUnit.SECONDS);
      ResourceDefinitionContext ctx =
          new ResourceDefinitionContext.Builder()
              .withGroup(GROUP).withVersion("v1alpha1").withKind("Gadget").withPlural("gadgets").withNamespaced(true)
              .build();
      var gadgets = client.genericKubernetesResources(ctx).inNamespace(ns.name());

      GenericKubernetesResource made =
          gadgets.resource(gadget("ok", Map.of("gpus", 2, "tier", "gold", "unknownField", "x"))).create();
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) made.getAdditionalProperties().get("spec");
      assertThat(spec).containsEntry("gpus", 2).containsEntry("tier", "gold");
      assertThat(spec).as("fields outside the schema are pruned").doesNotContainKey("unknownField");
      assertThat(gadgets.list().getItems()).extracting(g -> g.getMetadata().getName()).containsExactly("ok");

      assertThatThrownBy(() -> gadgets.resource(gadget("too-many", Map.of("gpus", 9, "tier", "gold"))).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(422);
                assertThat(e.getMessage()).contains("spec.gpus").contains("less than or equal to 8");
              });
      assertThatThrownBy(() -> gadgets.resource(gadget("bronze", Map.of("gpus", 1, "tier", "bronze"))).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("spec.tier").contains("Unsupported value"));
      assertThatThrownBy(() -> gadgets.resource(gadget("no-gpus", Map.of("tier", "gold"))).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> assertThat(e.getMessage()).contains("spec.gpus").contains("Required value"));
    } finally {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).delete();
    }
  }

  static ConfigMap settings(String value) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName("settings").endMetadata()
        .withData(Map.of("replicas", value))
        .build();
  }

  @Test
  void serverSideApplyReportsAConflictBetweenFieldManagers(KubernetesClient client, TestNamespace ns) {
    var cms = client.configMaps().inNamespace(ns.name());
    cms.resource(settings("1")).fieldManager("cnai-alpha").serverSideApply();

    assertThatThrownBy(() -> cms.resource(settings("2")).fieldManager("cnai-beta").serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getMessage()).contains("conflict").contains("cnai-alpha").contains(".data.replicas");
            });
    assertThat(cms.withName("settings").get().getData()).containsEntry("replicas", "1");

    // Forcing takes the field over.
    cms.resource(settings("2")).fieldManager("cnai-beta").forceConflicts().serverSideApply();
    ConfigMap now = cms.withName("settings").get();
    assertThat(now.getData()).containsEntry("replicas", "2");
    assertThat(now.getMetadata().getManagedFields())
        .filteredOn(m -> "Apply".equals(m.getOperation()))
        .extracting(ManagedFieldsEntry::getManager)
        .contains("cnai-beta");
  }
}
