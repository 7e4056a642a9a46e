package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole life of a stack on a real API server: install, upgrade, failed upgrade, rollback, uninstall. */
@SimClusterTest
class LifecycleSimTest {
  @TempDir Path tmp;

  private static String[] with(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void installUpgradeFailRollBackAndUninstall(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.lifecycle(repo, tmp, "life");
      String kc = cluster.cluster().kubeconfig().toString();
      String[] target = {"install", "--kubeconfig", kc, "--timeout", "60s"};

      // install v1
      Cli.Result r = Cli.run(with(new String[] {"install"}, with(s.signed("v1"), "--kubeconfig", kc, "--timeout", "60s")));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(SimState.revisions(client)).extracting(StackRevision::status).containsExactly(Status.DEPLOYED);
      assertThat(SimState.deployedReleases(client)).containsEntry("life-certs/certs", "1").containsEntry("life-queues/queues", "1")
          .containsEntry("life-hooks/hooks", "1");
      assertThat(client.configMaps().inNamespace("life-hooks").withName("hooks-installed").get()).as("post-install hook ran").isNotNull();
      assertThat(client.apps().deployments().inNamespace("life-store").withName("store-operator").get().getMetadata().getLabels())
          .containsEntry("cnai.io/component", "store-operator");
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName("certificates.certs.cnai.test").get()).isNotNull();

      // the same again changes nothing
      r = Cli.run(with(new String[] {"install"}, with(s.signed("v1"), "--kubeconfig", kc, "--output", "json")));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      for (String line : r.out().lines().toList()) {
        var n = json.readTree(line);
        assertThat(n.has("phase") || n.has("result")).as(line).isTrue();
      }
      assertThat(r.out()).contains("\"changed\":false", "\"phase\":\"render\"");
      assertThat(SimState.revisions(client)).hasSize(1);
      assertThat(SimState.helmRecords(client, "life-certs")).containsExactly("certs v1 deployed");
      assertThat(Cli.run("status", "--kubeconfig", kc).exit()).isZero();

      // upgrade to v2: certs 1.5.0, greedy added, hooks removed
      r = Cli.run(with(new String[] {"upgrade"}, with(s.signed("v2"), "--kubeconfig", kc, "--timeout", "60s")));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("+ greedy", "- hooks", "~ certs 1.4.0 -> 1.5.0");
      assertThat(SimState.revisions(client)).extracting(StackRevision::status).containsExactly(Status.SUPERSEDED, Status.DEPLOYED);
      assertThat(SimState.deployedReleases(client)).containsEntry("life-certs/certs", "2").containsEntry("life-greedy/greedy", "1")
          .doesNotContainKey("life-hooks/hooks");
      assertThat(client.apps().deployments().inNamespace("life-certs").withName("certs-certs").get().getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/version", "v1.4.0");
      assertThat(Cli.run("status", "--kubeconfig", kc).exit()).isZero();

      // a failed upgrade (a component that asks for 99 GPUs) rolls back by itself
      r = Cli.run(with(new String[] {"upgrade"}, with(s.signed("v2"), "--kubeconfig", kc, "--timeout", "10s", "--set", "greedy.gpus=99")));
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.err()).contains("Deployment/life-greedy/greedy-trainer is not ready", "Insufficient nvidia.com/gpu", "rolled back automatically to revision 2");
      assertThat(SimState.revisions(client)).extracting(StackRevision::status)
          .containsExactly(Status.SUPERSEDED, Status.SUPERSEDED, Status.FAILED, Status.DEPLOYED);
      assertThat(SimState.revisions(client).get(3).action()).isEqualTo(StackRevision.Action.ROLLBACK);
      assertThat(client.apps().deployments().inNamespace("life-greedy").withName("greedy-trainer").get().getSpec().getTemplate()
          .getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
      assertThat(Cli.run("status", "--kubeconfig", kc).exit()).isZero();

      // explicit rollback to revision 1
      r = Cli.run("rollback", "1", "--kubeconfig", kc, "--timeout", "60s");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(SimState.deployedReleases(client)).containsKey("life-hooks/hooks").doesNotContainKey("life-greedy/greedy");
      assertThat(SimState.revisions(client)).last().extracting(StackRevision::status).isEqualTo(Status.DEPLOYED);
      assertThat(SimState.revisions(client)).hasSize(5);
      var status = Cli.run("status", "--kubeconfig", kc);
      assertThat(status.exit()).as(status.out()).isZero();
      assertThat(status.out()).contains("certs-1.4.0");

      // rolling back to a revision that does not exist is bad input
      r = Cli.run("rollback", "99", "--kubeconfig", kc);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("stack revision 99 does not exist");
      assertThat(SimState.revisions(client)).hasSize(5);

      var history = Cli.run("history", "--kubeconfig", kc);
      assertThat(history.out()).contains("INSTALL", "UPGRADE", "FAILED", "ROLLBACK");
      var historyJson = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Cli.run("history", "--kubeconfig", kc, "-o", "json").out());
      assertThat(historyJson).hasSize(5);
      assertThat(historyJson.get(2).get("status").asText()).isEqualTo("FAILED");

      // drift: an object deleted behind cnai's back is reported, and the same plan applied again restores it
      client.apps().deployments().inNamespace("life-store").withName("store-operator").delete();
      client.apps().deployments().inNamespace("life-store").withName("store-operator").waitUntilCondition(x -> x == null, 30, java.util.concurrent.TimeUnit.SECONDS);
      status = Cli.run("status", "--kubeconfig", kc);
      assertThat(status.exit()).as(status.out()).isEqualTo(1);
      assertThat(status.out()).contains("Deployment/life-store/store-operator is missing");
      r = Cli.run(with(new String[] {"upgrade"}, with(s.signed("v1"), "--kubeconfig", kc, "--timeout", "60s")));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(Cli.run("status", "--kubeconfig", kc).exit()).isZero();
      assertThat(SimState.revisions(client)).hasSize(6);

      // --no-rollback leaves a failed upgrade as it is, and says what to do
      r = Cli.run(with(new String[] {"upgrade"}, with(s.signed("v2"), "--kubeconfig", kc, "--timeout", "5s", "--set", "greedy.gpus=99", "--no-rollback")));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("upgrade failed", "--no-rollback was given", "cnai rollback 6");
      assertThat(SimState.revisions(client)).extracting(StackRevision::status).last().isEqualTo(Status.FAILED);
      assertThat(SimState.revisions(client)).hasSize(7);

      // uninstall leaves nothing of cnai's behind
      r = Cli.run("uninstall", "--kubeconfig", kc, "--delete-crds");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(SimState.deployedReleases(client).keySet()).noneMatch(k -> k.startsWith("life-"));
      assertThat(SimState.labelled(client, "life-")).isEmpty();
      assertThat(client.secrets().inNamespace(StackRevision.NAMESPACE).withLabel("owner", "cnai").list().getItems()).isEmpty();
      assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
          .noneMatch(n -> n.startsWith("life-")).doesNotContain(StackRevision.NAMESPACE);
      assertThat(target).isNotEmpty();
    } finally {
      Cli.run("uninstall", "--kubeconfig", cluster.cluster().kubeconfig().toString(), "--delete-crds");
    }
  }
}
