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

  @Test
  void simVersionIsRefusedWithAHintThatNamesTheOverride() {
    assertThatThrownBy(() -> plan(RELEASE, "1.37.2", PlanPolicy.STRICT))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.getMessage()).contains("newer than distribution 2026.11 has been verified with (up to 1.36)")
              .contains("newer than profile 'kind' supports (up to 1.36)");
          assertThat(e.hint()).contains("--allow-kube-version 1.37");
        });
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
  void aVersionTheReleaseWasTestedOnIsAcceptedWithAWarning() throws Exception {
    String text = Files.readString(TestPaths.release())
        .replace("    max: \"1.36\"\n", "    max: \"1.36\"\n    tested:\n      - version: \"1.37.2\"\n        cluster: sim\n");
    Distribution tested = DistributionLoader.parse(TestPaths.release().toString(), text);
    Plan plan = plan(tested, "1.37.2", PlanPolicy.STRICT);
    assertThat(plan.warnings()).anySatisfy(w -> assertThat(w).contains("it was tested on 1.37.2 (sim)"));
    // 1.38 was not tested: still refused, and the message lists what was
    assertThatThrownBy(() -> plan(tested, "1.38", PlanPolicy.STRICT)).hasMessageContaining("tested on 1.37.2 (sim)");
  }
}
