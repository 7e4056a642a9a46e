package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.helm.HelmReleases;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.kube.ClusterSession;
import io.cnai.installer.testing.TestStack;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRDs, and with them every custom resource, are removed only by 'cnai uninstall --delete-crds'.
 * The {@code queues} fixture chart templates its CRDs (as Kueue's chart does): cnai applies them,
 * Helm installs the chart without those templates, so 'helm uninstall' cannot take them (and the
 * users' queues) away.
 */
@SimClusterTest
class CrdKeepSimTest {
  @TempDir Path tmp;

  private static final String CRD = "clusterqueues.queues.cnai.test";


  private static GenericKubernetesResource queue(KubernetesClient client, String ns) {
    return client.genericKubernetesResources("queues.cnai.test/v1beta1", "ClusterQueue").inNamespace(ns).withName("team-a").get();
  }

  @Test
  void uninstallKeepsTemplatedCrdsAndTheirResourcesUnlessAsked(SimCluster cluster, KubernetesClient client) {
    SimState.resetHistory(client);
    String kc = cluster.cluster().kubeconfig().toString();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, true, "keep");
      String[] install = Cli.args("install", s.trusted(), "--kubeconfig", kc, "--timeout", "60s");
      Cli.Result r = Cli.run(install);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();

      // cnai applied the CRD and keeps it; Helm's release does not hold it
      var crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
      assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep")
          .containsEntry("meta.helm.sh/release-name", "queues");
      try (ClusterSession session = ClusterSession.open(ClusterAccess.of(cluster.cluster().kubeconfig(), null))) {
        String manifest = new HelmReleases(session).manifest("queues", s.namespace("queues"), 1);
        assertThat(manifest).contains("kind: Deployment").doesNotContain("kind: CustomResourceDefinition");
      }

      // a user's queue
      client.genericKubernetesResources("queues.cnai.test/v1beta1", "ClusterQueue").inNamespace("default").resource(
          new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("queues.cnai.test/v1beta1").withKind("ClusterQueue")
              .withNewMetadata().withName("team-a").withNamespace("default").endMetadata()
              .withAdditionalProperties(Map.of("spec", Map.of("cohort", "research"))).build()).create();

      // uninstall without --delete-crds: the release goes, the CRD and the queue stay
      r = Cli.run("uninstall", "--kubeconfig", kc);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(SimState.deployedReleases(client)).doesNotContainKey(s.namespace("queues") + "/queues");
      crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
      assertThat(crd).isNotNull();
      assertThat(crd.getMetadata().getDeletionTimestamp()).isNull();
      assertThat(queue(client, "default")).isNotNull();

      // installed again, the kept CRD is taken over; the queue is still there
      r = Cli.run(install);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(queue(client, "default")).isNotNull();
      assertThat(Cli.run("status", "--kubeconfig", kc).exit()).isZero();

      // --delete-crds removes them, and the custom resources with them; uninstall waits until they are gone
      r = Cli.run("uninstall", "--kubeconfig", kc, "--delete-crds", "--timeout", "3m");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).doesNotContain("still being deleted");
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(CRD).get()).isNull();
    } finally {
      Cli.run("uninstall", "--kubeconfig", kc, "--delete-crds");
    }
  }
}
