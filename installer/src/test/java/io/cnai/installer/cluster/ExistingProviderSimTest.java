package io.cnai.installer.cluster;

import io.cnai.installer.kube.ClusterFacts;
import io.cnai.installer.kube.LiveFacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.sim.SimVersions;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The 'existing' provider on a real API server: a kubeconfig and a context are all it needs. */
@SimClusterTest
class ExistingProviderSimTest {
  @Test
  void connectsThroughKubeconfigAndContext(Cluster sim) {
    ExistingProvider existing = new ExistingProvider(sim.kubeconfig());
    Cluster c =
        existing.create(
            new ClusterRequest(sim.context(), NodeTopology.defaults(), Optional.of(sim.kubeconfig()), Optional.of(sim.context())));
    assertThat(c.provider()).isEqualTo("existing");
    ClusterFacts facts = LiveFacts.cluster(c.access());
    assertThat(facts.kubernetesVersion()).isEqualTo(SimVersions.KUBERNETES);
    assertThat(facts.totalGpus()).isEqualTo(16);
    assertThat(existing.list()).extracting(ClusterSummary::name).containsExactly(sim.context());
    assertThat(existing.find(sim.context())).isPresent();
  }
}
