package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.kube.ClusterFacts;
import io.cnai.installer.kube.LiveFacts;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.cluster.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler and controllers of a real control plane place pods on kwok nodes. */
@SimClusterTest
class SchedulingSimTest {
  static final long TIMEOUT_S = 90;

  @Test
  void factsShowVersionNodesAndGpus(KubernetesClient client) {
    ClusterFacts facts = LiveFacts.cluster(client);
    assertThat(facts.kubernetesVersion()).isEqualTo(SimVersions.KUBERNETES);
    assertThat(facts.nodes()).hasSize(4);
    assertThat(facts.readyNodes()).isEqualTo(4);
    assertThat(facts.totalGpus()).isEqualTo(16);
    assertThat(facts.gpusByProduct()).containsEntry("NVIDIA-H100-80GB-HBM3", 16);
  }

  @Test
  void deploymentRollsOutToAvailableOnKwokNodes(KubernetesClient client, TestNamespace ns) {
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata().withName("web").endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .withNewSelector().addToMatchLabels("app", "web").endSelector()
            .withNewTemplate()
            .withNewMetadata().addToLabels("app", "web").endMetadata()
            .withNewSpec()
            .addNewContainer().withName("web").withImage("registry.invalid/web:1").endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.apps().deployments().inNamespace(ns.name()).resource(d).create();
    Deployment done =
        client.apps().deployments().inNamespace(ns.name()).withName("web")
            .waitUntilCondition(SchedulingSimTest::available, TIMEOUT_S, TimeUnit.SECONDS);
    assertThat(done.getStatus().getAvailableReplicas()).isEqualTo(3);

    List<Pod> pods = client.pods().inNamespace(ns.name()).withLabel("app", "web").list().getItems();
    assertThat(pods).hasSize(3);
    for (Pod p : pods) {
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      assertThat(p.getStatus().getPodIP()).isNotBlank();
      Node node = client.nodes().withName(p.getSpec().getNodeName()).get();
      assertThat(node.getMetadata().getAnnotations()).containsEntry("kwok.x-k8s.io/node", "fake");
    }
  }

  static boolean available(Deployment d) {
    return d != null
        && d.getStatus() != null
        && d.getStatus().getConditions() != null
        && d.getStatus().getConditions().stream()
            .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))
        && Integer.valueOf(3).equals(d.getStatus().getReadyReplicas());
  }

  static Pod gpuPod(String name, int gpus) {
    Quantity q = new Quantity(Integer.toString(gpus));
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("train").withImage("registry.invalid/train:1")
        .withNewResources().withLimits(Map.of("nvidia.com/gpu", q)).withRequests(Map.of("nvidia.com/gpu", q)).endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void gpuPodsLandOnlyOnGpuNodes(KubernetesClient client, TestNamespace ns) {
    for (int i = 0; i < 4; i++) {
      client.pods().inNamespace(ns.name()).resource(gpuPod("gpu-" + i, 2)).create();
    }
    for (int i = 0; i < 4; i++) {
      Pod p =
          client.pods().inNamespace(ns.name()).withName("gpu-" + i)
              .waitUntilCondition(
                  x -> x != null && x.getStatus() != null && "Running".equals(x.getStatus().getPhase()),
                  TIMEOUT_S, TimeUnit.SECONDS);
      Node node = client.nodes().withName(p.getSpec().getNodeName()).get();
      assertThat(node.getMetadata().getLabels())
          .as("node %s of pod %s", node.getMetadata().getName(), p.getMetadata().getName())
          .containsEntry("nvidia.com/gpu.present", "true");
    }
  }

  @Test
  void podAskingForMoreGpusThanAnyNodeHasStaysPending(KubernetesClient client, TestNamespace ns)
      throws Exception {
    client.pods().inNamespace(ns.name()).resource(gpuPod("too-big", 9)).create();
    List<Event> events =
        client.v1().events().inNamespace(ns.name())
            .withField("involvedObject.name", "too-big")
            .informOnCondition(l -> l.stream().anyMatch(e -> "FailedScheduling".equals(e.getReason())))
            .get(TIMEOUT_S, TimeUnit.SECONDS);
    Event failed = events.stream().filter(e -> "FailedScheduling".equals(e.getReason())).findFirst().orElseThrow();
    assertThat(failed.getMessage()).contains("Insufficient nvidia.com/gpu");
    Pod p = client.pods().inNamespace(ns.name()).withName("too-big").get();
    assertThat(p.getSpec().getNodeName()).isNull();
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(p.getStatus().getConditions())
        .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()));
  }

  @Test
  void jobPodsSucceedAndTheJobCompletes(KubernetesClient client, TestNamespace ns) {
    Job job =
        new JobBuilder()
            .withNewMetadata().withName("train").endMetadata()
            .withNewSpec()
            .withCompletions(3).withParallelism(2)
            .withNewTemplate()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer().withName("train").withImage("registry.invalid/train:1").endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.batch().v1().jobs().inNamespace(ns.name()).resource(job).create();
    Job done =
        client.batch().v1().jobs().inNamespace(ns.name()).withName("train")
            .waitUntilCondition(
                j -> j != null && j.getStatus() != null && j.getStatus().getConditions() != null
                    && j.getStatus().getConditions().stream()
                        .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus())),
                TIMEOUT_S, TimeUnit.SECONDS);
    assertThat(done.getStatus().getSucceeded()).isEqualTo(3);
  }

  @Test
  void deletedPodsGoAway(KubernetesClient client, TestNamespace ns) {
    client.pods().inNamespace(ns.name()).resource(gpuPod("short-lived", 1)).create();
    var pod = client.pods().inNamespace(ns.name()).withName("short-lived");
    pod.waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), TIMEOUT_S, TimeUnit.SECONDS);
    pod.delete();
    assertThat(pod.waitUntilCondition(java.util.Objects::isNull, TIMEOUT_S, TimeUnit.SECONDS)).isNull();
  }
}
