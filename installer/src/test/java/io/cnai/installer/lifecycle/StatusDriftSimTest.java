package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cnai status' compares the contents of every object with what was deployed: a field that someone
 * changed with an ordinary update (as 'kubectl edit' or 'kubectl scale' do) is drift, named with its
 * path and both values, for Helm-managed objects and for server-side applied ones; a field cnai does
 * not set (an annotation someone added) is not. The same install run again puts the fields back.
 */
@SimClusterTest
class StatusDriftSimTest {
  @TempDir Path tmp;


  private static Deployment deployment(KubernetesClient client, String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  @Test
  void changedFieldsAreDriftAndTheSameInstallPutsThemBack(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    String kc = cluster.cluster().kubeconfig().toString();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.lifecycle(repo, tmp, "drift");
      String[] install = Cli.args("install", s.signed("v2"), "--kubeconfig", kc, "--timeout", "60s");
      Cli.Result r = Cli.run(install);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      Cli.Result st = Cli.run("status", "--kubeconfig", kc);
      assertThat(st.exit()).as(st.out()).isZero();
      assertThat(st.out()).contains("no drift");

      // an annotation nobody deployed is not drift: cnai and Helm do not own it
      client.apps().deployments().inNamespace("drift-greedy").withName("greedy-trainer")
          .edit(d -> { d.getMetadata().getAnnotations().put("team.example/owner", "ml-platform"); return d; });
      st = Cli.run("status", "--kubeconfig", kc);
      assertThat(st.exit()).as(st.out()).isZero();

      // a Helm-managed Deployment scaled by hand, a server-side applied one given another image
      client.apps().deployments().inNamespace("drift-greedy").withName("greedy-trainer")
          .edit(d -> { d.getSpec().setReplicas(3); return d; });
      client.apps().deployments().inNamespace("drift-store").withName("store-operator")
          .edit(d -> { d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.cnai.test/store-operator:9.9.9"); return d; });
      st = Cli.run("status", "--kubeconfig", kc);
      assertThat(st.exit()).as(st.out()).isEqualTo(1);
      assertThat(st.out()).contains(
          "Deployment/drift-greedy/greedy-trainer changed outside cnai: spec.replicas: 3 in the cluster, 1 as deployed",
          "Deployment/drift-store/store-operator changed outside cnai: spec.template.spec.containers[0].image: "
              + "'registry.cnai.test/store-operator:9.9.9' in the cluster, 'registry.cnai.test/store-operator:1.0.0' as deployed",
          "2 drift(s)");
      assertThat(st.out()).doesNotContain("team.example/owner");
      assertThat(st.out().lines().filter(l -> l.startsWith("queues ") || l.startsWith("certs "))).allMatch(l -> l.endsWith(" -"));
      var json = Cli.run("status", "--kubeconfig", kc, "-o", "json");
      var drift = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).get("drift");
      assertThat(drift).hasSize(2);
      assertThat(drift.toString()).contains("greedy: Deployment/drift-greedy/greedy-trainer changed outside cnai: spec.replicas");

      // the same install again applies the drifted components again and writes a revision
      r = Cli.run(install);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("REPAIR drift: greedy: Deployment/drift-greedy/greedy-trainer", "(its objects drifted: applied again)",
          "queues SKIP");
      assertThat(deployment(client, "drift-greedy", "greedy-trainer").getSpec().getReplicas()).isEqualTo(1);
      assertThat(deployment(client, "drift-greedy", "greedy-trainer").getMetadata().getAnnotations())
          .as("Helm's three-way merge keeps what it does not own").containsEntry("team.example/owner", "ml-platform");
      assertThat(deployment(client, "drift-store", "store-operator").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("registry.cnai.test/store-operator:1.0.0");
      assertThat(SimState.revisions(client)).extracting(StackRevision::status).containsExactly(Status.SUPERSEDED, Status.DEPLOYED);
      assertThat(SimState.deployedReleases(client)).containsEntry("drift-greedy/greedy", "2").containsEntry("drift-queues/queues", "1");
      st = Cli.run("status", "--kubeconfig", kc);
      assertThat(st.exit()).as(st.out()).isZero();

      // and once repaired, the same install changes nothing
      r = Cli.run(install);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("already installed and unchanged").doesNotContain("REPAIR");
      assertThat(SimState.revisions(client)).hasSize(2);
    } finally {
      Cli.run("uninstall", "--kubeconfig", kc, "--delete-crds");
    }
  }
}
