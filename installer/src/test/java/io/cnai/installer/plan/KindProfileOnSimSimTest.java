package io.cnai.installer.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.kube.LiveFacts;
import io.cnai.profiles.ProfileResolver;
import io.cnai.profiles.ResolvedProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * cnai's own sim cluster takes the kind profile: it has the 'standard' StorageClass the profile
 * requires, and its Kubernetes 1.37 (newer than release 2026.11 is verified with) is planned once
 * the user names it, with the override in the plan's warnings.
 */
@SimClusterTest
class KindProfileOnSimSimTest {
  @Test
  void kindProfilePlansOnASimClusterWithTheNamedOverride(KubernetesClient client) {
    TargetFacts facts = LiveFacts.read(client, "sim");
    assertThat(facts.storageClasses()).contains("standard");
    assertThat(facts.kubernetes().minorLine()).isEqualTo("1.37");
    ResolvedProfile kind = ProfileResolver.resolve(PlannerTest.PROFILES, "kind", PlannerTest.RELEASE);

    assertThatThrownBy(() -> Planner.plan(PlannerTest.RELEASE, kind, facts, Map.of()))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.getMessage()).contains("Kubernetes 1.37").doesNotContain("storage class");
          assertThat(e.hint()).contains("--allow-kube-version 1.37");
        });

    Plan plan = Planner.plan(PlannerTest.RELEASE, kind, facts, Map.of(), PlanPolicy.allowingKubeVersion("1.37"));
    assertThat(plan.steps()).isNotEmpty();
    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("--allow-kube-version 1.37"));
  }
}
