package io.cnai.installer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.kube.LiveFacts;
import io.cnai.profiles.ProfileResolver;
import io.cnai.profiles.ResolvedProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * cnai's own sim cluster takes the kind profile: it has the 'standard' StorageClass the profile
 * requires, and its Kubernetes 1.37 (newer than release 2026.11 is verified with) is planned with a
 * warning, since the release says it was tested on 1.37.2 on a sim cluster, and this is one.
 */
@SimClusterTest
class KindProfileOnSimSimTest {
  @Test
  void kindProfilePlansOnASimClusterAsTheReleaseWasTestedOnSim(KubernetesClient client) {
    TargetFacts facts = LiveFacts.read(client, "sim");
    assertThat(facts.storageClasses()).contains("standard");
    assertThat(facts.kubernetes().minorLine()).isEqualTo("1.37");
    assertThat(facts.simulated()).as("every node of a sim cluster is played by kwok").isTrue();
    ResolvedProfile kind = ProfileResolver.resolve(PlannerTest.PROFILES, "kind", PlannerTest.RELEASE);

    Plan plan = Planner.plan(PlannerTest.RELEASE, kind, facts, Map.of());
    assertThat(plan.steps()).isNotEmpty();
    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("Kubernetes 1.37").contains("it was tested on 1.37.2 (sim)"));

    // the named override is not needed, and says so
    Plan allowed = Planner.plan(PlannerTest.RELEASE, kind, facts, Map.of(), PlanPolicy.allowingKubeVersion("1.37"));
    assertThat(allowed.warnings()).anySatisfy(w -> assertThat(w).contains("--allow-kube-version 1.37 is not needed"));
  }
}
