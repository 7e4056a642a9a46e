package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole life of a stack on a real API server, through the library's actions: install,
 * upgrade, failed upgrade, rollback, drift, uninstall. (The CLI's flags, output and exit codes have
 * their own tests: LifecycleInputSimTest.)
 */
@SimClusterTest
class LifecycleSimTest {
  @TempDir Path tmp;

  static final Duration MINUTE = Duration.ofSeconds(60);

  @Test
  void installUpgradeFailRollBackAndUninstall(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start();
        StackContext ctx = TestStack.lifecycle(tmp.resolve("cache"), Progress.silent()).open(cluster.cluster().access())) {
      TestStack s = TestStack.lifecycle(repo, tmp.resolve("stack"), "life");

      // install v1
      StackResult r = new InstallAction(ctx).source(s.planSource("v1")).timeout(MINUTE).run();
      assertThat(r.changed()).isTrue();
      assertThat(r.revision().status()).isEqualTo(Status.DEPLOYED);
      assertThat(SimState.revisions(client)).extracting(StackRevision::status).containsExactly(Status.DEPLOYED);
      assertThat(SimState.deployedReleases(client)).containsEntry("life-certs/certs", "1").containsEntry("life-queues/queues", "1")
          .containsEntry("life-hooks/hooks", "1");
      assertThat(client.configMaps().inNamespace("life-hooks").withName("hooks-installed").get()).as("post-install hook ran").isNotNull();
      assertThat(client.apps().deployments().inNamespace("life-store").withName("store-operator").get().getMetadata().getLabels())
          .containsEntry("cnai.io/component", "store-operator");
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName("certificates.certs.cnai.test").get()).isNotNull();

      // the same again changes nothing: no revision, no Helm revision
      r = new InstallAction(ctx).source(s.planSource("v1")).run();
      assertThat(r.changed()).isFalse();
      assertThat(SimState.revisions(client)).hasSize(1);
      assertThat(SimState.helmRecords(client, "life-certs")).containsExactly("certs v1 deployed");
      assertThat(new StatusAction(ctx).run().healthy()).isTrue();

      // upgrade to v2: certs 1.5.0, greedy added, hooks removed
      r = new UpgradeAction(ctx).source(s.planSource("v2")).timeout(MINUTE).run();
      assertThat(r.changes()).anyMatch(c -> c.startsWith("+ greedy")).anyMatch(c -> c.startsWith("- hooks"))
          .contains("~ certs 1.4.0 -> 1.5.0");
      assertThat(SimState.revisions(client)).extracting(StackRevision::status).containsExactly(Status.SUPERSEDED, Status.DEPLOYED);
      assertThat(SimState.deployedReleases(client)).containsEntry("life-certs/certs", "2").containsEntry("life-greedy/greedy", "1")
          .doesNotContainKey("life-hooks/hooks");
      assertThat(client.apps().deployments().inNamespace("life-certs").withName("certs-certs").get().getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/version", "v1.4.0");
      assertThat(new StatusAction(ctx).run().healthy()).isTrue();

      // a failed upgrade (a component that asks for 99 GPUs) rolls back by itself
      Map<String, Map<String, Object>> greedy99 = Map.of("greedy", Map.of("gpus", 99));
      assertThatThrownBy(() -> new UpgradeAction(ctx).source(s.planSource("v2", greedy99)).timeout(Duration.ofSeconds(10)).run())
          .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE))
          .hasMessageContainingAll("Deployment/life-greedy/greedy-trainer is not ready", "Insufficient nvidia.com/gpu",
              "rolled back automatically to revision 2");
      assertThat(SimState.revisions(client)).extracting(StackRevision::status)
          .containsExactly(Status.SUPERSEDED, Status.SUPERSEDED, Status.FAILED, Status.DEPLOYED);
      assertThat(SimState.revisions(client).get(3).action()).isEqualTo(StackRevision.Action.ROLLBACK);
      assertThat(client.apps().deployments().inNamespace("life-greedy").withName("greedy-trainer").get().getSpec().getTemplate()
          .getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
      assertThat(new StatusAction(ctx).run().healthy()).isTrue();

      // explicit rollback to revision 1
      r = new RollbackAction(ctx).revision(1).timeout(MINUTE).run();
      assertThat(r.revision().action()).isEqualTo(StackRevision.Action.ROLLBACK);
      assertThat(SimState.deployedReleases(client)).containsKey("life-hooks/hooks").doesNotContainKey("life-greedy/greedy");
      assertThat(SimState.revisions(client)).hasSize(5).last().extracting(StackRevision::status).isEqualTo(Status.DEPLOYED);
      StackStatus status = new StatusAction(ctx).run();
      assertThat(status.healthy()).as(status.drift().toString()).isTrue();
      assertThat(status.components()).anyMatch(c -> c.live().startsWith("certs-1.4.0"));

      // an upgrade that adds a component and fails on it: the rollback removes what the failed
      // attempt created (the new component's release and objects), and status sees nothing left
      assertThatThrownBy(() -> new UpgradeAction(ctx).source(s.planSource("v2", greedy99)).timeout(Duration.ofSeconds(10)).run())
          .isInstanceOf(CnaiException.class).hasMessageContaining("rolled back automatically to revision 5");
      assertThat(SimState.deployedReleases(client)).containsKey("life-hooks/hooks").doesNotContainKey("life-greedy/greedy");
      assertThat(SimState.helmRecords(client, "life-greedy")).isEmpty();
      assertThat(client.apps().deployments().inNamespace("life-greedy").withName("greedy-trainer").get()).isNull();
      status = new StatusAction(ctx).run();
      assertThat(status.healthy()).as(status.drift().toString()).isTrue();
      assertThat(status.components()).noneMatch(c -> c.name().equals("greedy"));

      // rolling back to a revision that does not exist is bad input, and changes nothing
      assertThatThrownBy(() -> new RollbackAction(ctx).revision(99).run())
          .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
          .hasMessageContaining("stack revision 99 does not exist");
      assertThat(SimState.revisions(client)).hasSize(7);

      List<StackRevision> history = new HistoryAction(ctx).run();
      assertThat(history).extracting(StackRevision::action).contains(StackRevision.Action.INSTALL, StackRevision.Action.UPGRADE,
          StackRevision.Action.ROLLBACK);
      assertThat(history.get(2).status()).isEqualTo(Status.FAILED);

      // drift: an object deleted behind cnai's back is reported, and the same plan applied again restores it
      client.apps().deployments().inNamespace("life-store").withName("store-operator").delete();
      client.apps().deployments().inNamespace("life-store").withName("store-operator").waitUntilCondition(x -> x == null, 30, TimeUnit.SECONDS);
      status = new StatusAction(ctx).run();
      assertThat(status.healthy()).isFalse();
      assertThat(status.drift()).anyMatch(d -> d.contains("Deployment/life-store/store-operator is missing"));
      new UpgradeAction(ctx).source(s.planSource("v1")).timeout(MINUTE).run();
      assertThat(new StatusAction(ctx).run().healthy()).isTrue();
      assertThat(SimState.revisions(client)).hasSize(8);

      // noRollback leaves a failed upgrade as it is, and says what to do
      assertThatThrownBy(() -> new UpgradeAction(ctx).source(s.planSource("v2", greedy99)).timeout(Duration.ofSeconds(5)).noRollback(true).run())
          .isInstanceOf(CnaiException.class).hasMessageContainingAll("upgrade failed", "--no-rollback was given", "cnai rollback 8");
      assertThat(SimState.revisions(client)).hasSize(9).extracting(StackRevision::status).last().isEqualTo(Status.FAILED);

      // uninstall with deleteCrds leaves nothing of cnai's behind
      new UninstallAction(ctx).deleteCrds(true).run();
      assertThat(SimState.deployedReleases(client).keySet()).noneMatch(k -> k.startsWith("life-"));
      assertThat(SimState.labelled(client, "life-")).isEmpty();
      assertThat(client.secrets().inNamespace(StackRevision.NAMESPACE).withLabel("owner", "cnai").list().getItems()).isEmpty();
      assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
          .noneMatch(n -> n.startsWith("life-")).doesNotContain(StackRevision.NAMESPACE);
    } finally {
      try (StackContext ctx = TestStack.lifecycle(tmp.resolve("cache"), Progress.silent()).open(cluster.cluster().access())) {
        new UninstallAction(ctx).deleteCrds(true).run();
      }
    }
  }
}
