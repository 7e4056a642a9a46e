package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.cluster.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The API server goes away and comes back: clients, informers and controllers recover. */
@SimClusterTest
class RestartSimTest {
  @Test
  void clientsRecoverAfterTheApiServerRestarts(SimCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    var cms = client.configMaps().inNamespace(ns.name());
    CompletableFuture<ConfigMap> seen = new CompletableFuture<>();
    try (SharedIndexInformer<ConfigMap> informer =
        cms.inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(ConfigMap cm) {
                if ("after-restart".equals(cm.getMetadata().getName())) {
                  seen.complete(cm);
                }
              }

              @Override
              public void onUpdate(ConfigMap oldCm, ConfigMap newCm) {}

              @Override
              public void onDelete(ConfigMap cm, boolean unknown) {}
            })) {
      cms.resource(cm("before-restart")).create();

      cluster.stop(SimComponent.APISERVER);
      assertThat(cluster.running(SimComponent.APISERVER)).isFalse();
      // Down is down: a client that does not retry fails at once ...
      try (KubernetesClient noRetry =
          new KubernetesClientBuilder()
              .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build())
              .build()) {
        assertThatThrownBy(() -> noRetry.configMaps().inNamespace(ns.name()).withName("before-restart").get())
            .isInstanceOf(KubernetesClientException.class);
      }
      // ... while a request made during the outage by a client that retries (fabric8's default)
      // completes once the API server is back.
      CompletableFuture<ConfigMap> duringOutage =
          CompletableFuture.supplyAsync(() -> cms.withName("before-restart").get());

      cluster.start(SimComponent.APISERVER, Duration.ofSeconds(120));

      // The data survived (it is in etcd) ...
      assertThat(duringOutage.get(120, TimeUnit.SECONDS)).isNotNull();
      assertThat(cms.withName("before-restart").get()).isNotNull();
      // ... the informer's watch reconnects and sees what happens after the restart ...
      cms.resource(cm("after-restart")).create();
      assertThat(seen.get(90, TimeUnit.SECONDS).getMetadata().getName()).isEqualTo("after-restart");
      assertThat(informer.getStore().getByKey(ns.name() + "/before-restart")).isNotNull();
    }

    // ... and the controller-manager, scheduler and kwok, clients themselves, work again.
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata().withName("after").endMetadata()
            .withNewSpec().withReplicas(1)
            .withNewSelector().addToMatchLabels("app", "after").endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app", "after").endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("registry.invalid/c:1").endContainer().endSpec()
            .endTemplate().endSpec().build();
    client.apps().deployments().inNamespace(ns.name()).resource(d).create();
    client.apps().deployments().inNamespace(ns.name()).withName("after")
        .waitUntilCondition(
            x -> x != null && x.getStatus() != null && Integer.valueOf(1).equals(x.getStatus().getAvailableReplicas()),
            120, TimeUnit.SECONDS);
    assertThat(cluster.health()).allSatisfy((c, up) -> assertThat(up).as(c.id()).isTrue());
  }

  static ConfigMap cm(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("k", "v").build();
  }
}
