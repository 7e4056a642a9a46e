package io.cnai.installer.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.distro.KubeVersion;
import io.cnai.installer.TestPaths;
import io.cnai.profiles.ProfileResolver;
import io.cnai.profiles.ResolvedProfile;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A target outside the verified Kubernetes range is refused unless the user names the version
 * (--allow-kube-version) or the release says it was tested on it; either way the plan says so.
 */
class PlanPolicyTest {
  static final Distribution RELEASE = PlannerTest.RELEASE;

  static Plan plan(Distribution d, String version, PlanPolicy policy) {
    ResolvedProfile p = ProfileResolver.resolve(PlannerTest.PROFILES, "kind", d);
    return Planner.plan(d, p, Planner.assumedFacts(d, p, KubeVersion.parse(version)), Map.of(), policy);
  }

  /** As {@link #plan}, on a cluster whose nodes are all simulated (a sim cluster) or not. */
  static Plan plan(Distribution d, String version, PlanPolicy policy, boolean simulated) {
    ResolvedProfile p = ProfileResolver.resolve(PlannerTest.PROFILES, "kind", d);
    TargetFacts f = Planner.assumedFacts(d, p, KubeVersion.parse(version));
    TargetFacts live = new TargetFacts(f.kubernetes(), f.apiVersions(), f.nodes(), f.cpu(), f.memoryBytes(), f.gpus(), f.gpuProduct(),
        f.storageClasses(), "live cluster test", simulated);
    return Planner.plan(d, p, live, Map.of(), policy);
  }

  @Test
  void aVersionPastTheRangeIsRefusedWithAHintThatNamesTheOverride() {
    assertThatThrownBy(() -> plan(RELEASE, "1.37.2", PlanPolicy.STRICT))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.getMessage()).contains("newer than distribution 2026.11 has been verified with (up to 1.36)")
              .contains("newer than profile 'kind' supports (up to 1.36)");
          assertThat(e.hint()).contains("--allow-kube-version 1.37");
          // the release was tested on 1.37 on sim only: that does not stand for this cluster
          assertThat(e.getMessage()).contains("tested on 1.37.2 (sim) (a test on sim stands for sim clusters only)");
        });
    assertThatThrownBy(() -> plan(RELEASE, "1.37.2", PlanPolicy.STRICT, false)).isInstanceOf(CnaiException.class);
    // an override for another version does not open this one
    assertThatThrownBy(() -> plan(RELEASE, "1.37.2", PlanPolicy.allowingKubeVersion("1.38")))
        .isInstanceOf(CnaiException.class)
        .hasMessageContaining("--allow-kube-version 1.38 names another version");
  }

  @Test
  void overrideIsRecordedAsAWarningAndInTheDigest() {
    Plan allowed = plan(RELEASE, "1.37.2", PlanPolicy.allowingKubeVersion("v1.37"));
    assertThat(allowed.warnings()).anySatisfy(w -> assertThat(w)
        .contains("planned anyway because of --allow-kube-version 1.37")
        .contains("up to 1.36"));
    assertThat(PlanView.of(allowed, false).get("warnings").toString()).contains("--allow-kube-version 1.37");

    // the same plan within the range, with and without a (needless) override: digests differ
    Plan strict = plan(RELEASE, "1.36.0", PlanPolicy.STRICT);
    Plan needless = plan(RELEASE, "1.36.0", PlanPolicy.allowingKubeVersion("1.36"));
    assertThat(needless.digest()).isNotEqualTo(strict.digest());
    assertThat(needless.warnings()).anySatisfy(w -> assertThat(w).contains("--allow-kube-version 1.36 is not needed"));
    assertThat(strict.warnings()).noneSatisfy(w -> assertThat(w).contains("allow-kube-version"));
    // without an override the digest is what it was before the policy existed
    ResolvedProfile p = ProfileResolver.resolve(PlannerTest.PROFILES, "kind", RELEASE);
    assertThat(Planner.plan(RELEASE, p, Planner.assumedFacts(RELEASE, p, KubeVersion.parse("1.36.0")), Map.of()).digest())
        .isEqualTo(strict.digest());
  }

  @Test
  void overrideDoesNotBypassAComponentsMinimum() {
    assertThatThrownBy(() -> plan(RELEASE, "1.20", PlanPolicy.allowingKubeVersion("1.20")))
        .isInstanceOf(CnaiException.class)
        .hasMessageContaining("needs Kubernetes");
  }

  @Test
  void badOverrideIsBadInput() {
    assertThatThrownBy(() -> PlanPolicy.allowingKubeVersion("latest"))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
  }

  @Test
  void aVersionTheReleaseWasTestedOnIsAcceptedWithAWarningOnThatKindOfCluster() throws Exception {
    // release 2026.11 says it was tested on 1.37.2 on a sim cluster
    assertThat(RELEASE.testedKubernetes()).extracting(Object::toString).contains("1.37.2 (sim)");
    Plan plan = plan(RELEASE, "1.37.2", PlanPolicy.STRICT, true);
    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("it was tested on 1.37.2 (sim)"));
    // 1.38 was not tested: still refused on sim, and the message lists what was
    assertThatThrownBy(() -> plan(RELEASE, "1.38", PlanPolicy.STRICT, true)).hasMessageContaining("tested on 1.37.2 (sim)");

    // a test on another kind of cluster stands for every cluster of that version
    String text = Files.readString(TestPaths.release()).replace("{version: \"1.37.2\", cluster: sim}", "{version: \"1.37.2\", cluster: kind}");
    Distribution onKind = DistributionLoader.parse(TestPaths.release().toString(), text);
    assertThat(plan(onKind, "1.37.2", PlanPolicy.STRICT, false).warnings()).anySatisfy(w -> assertThat(w).contains("it was tested on 1.37.2 (kind)"));
  }
}
