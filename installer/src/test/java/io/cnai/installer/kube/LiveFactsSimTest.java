package io.cnai.installer.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Discovery on a real API server: one aggregated request per root gives what asking group by group gives. */
@SimClusterTest
class LiveFactsSimTest {
  @Test
  void aggregatedDiscoveryEqualsDiscoveryGroupByGroup(KubernetesClient client) {
    String crd = "widgets.facts.cnai.test";
    client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(crd).endMetadata()
        .withNewSpec().withGroup("facts.cnai.test").withScope("Namespaced")
        .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
        .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
        .endVersion().endSpec().build()).serverSideApply();
    try {
      client.apiextensions().v1().customResourceDefinitions().withName(crd).waitUntilCondition(c -> c != null && c.getStatus() != null
          && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
      // discovery follows a new CRD a moment after it is Established
      TreeSet<String> aggregated = null;
      for (int i = 0; i < 50; i++) {
        aggregated = LiveFacts.aggregatedDiscovery(client);
        if (aggregated != null && aggregated.contains("facts.cnai.test/v1alpha1/Widget")) {
          break;
        }
        sleep();
      }
      assertThat(aggregated).as("the API server answers aggregated discovery").isNotNull()
          .contains("v1", "v1/Pod", "v1/Namespace", "apps/v1/Deployment", "apiextensions.k8s.io/v1/CustomResourceDefinition",
              "facts.cnai.test/v1alpha1", "facts.cnai.test/v1alpha1/Widget");
      assertThat(aggregated).isEqualTo(LiveFacts.perGroupDiscovery(client));
    } finally {
      client.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
