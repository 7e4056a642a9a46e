package io.cnai.installer.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.distro.KubeVersion;
import io.cnai.installer.TestPaths;
import io.cnai.profiles.Profile;
import io.cnai.profiles.ProfileLoader;
import io.cnai.profiles.ProfileResolver;
import io.cnai.profiles.ResolvedProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerTest {
  static final Distribution RELEASE = DistributionLoader.load(TestPaths.release());
  static final Map<String, Profile> PROFILES = ProfileLoader.loadDirectory(TestPaths.profiles());

  static Plan plan(String profile, Map<String, Map<String, Object>> overrides) {
    ResolvedProfile p = ProfileResolver.resolve(PROFILES, profile, RELEASE);
    return Planner.plan(RELEASE, p, Planner.assumedFacts(RELEASE, p, null), overrides);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "kind", "laptop", "eks", "gke", "classroom"})
  void everyDependencyIsInAnEarlierWave(String profile) {
    Plan plan = plan(profile, Map.of());
    for (PlanStep s : plan.steps()) {
      for (String dep : s.after()) {
        assertThat(plan.step(dep).wave()).as("%s after %s", s.name(), dep).isLessThan(s.wave());
      }
    }
    // waves are as early as possible: a step in wave n > 1 waits for something in wave n-1
    for (PlanStep s : plan.steps()) {
      if (s.wave() > 1) {
        assertThat(s.after().stream().map(plan::step).mapToInt(PlanStep::wave).max().orElse(0)).isEqualTo(s.wave() - 1);
      }
    }
  }

  @Test
  void componentsUsingCrdsWaitForTheirProvider() {
    Plan plan = plan("kind", Map.of());
    assertThat(plan.step("kserve").after()).contains("cert-manager", "kserve-crd");
    assertThat(plan.step("kserve-runtime-configs").wave()).isGreaterThan(plan.step("kserve").wave());
    assertThat(plan.step("cert-manager").wave()).isEqualTo(1);
  }

  @Test
  void profilesSwitchComponentsOff() {
    assertThat(plan("kind", Map.of()).step("gpu-operator")).isNull();
    assertThat(plan("eks", Map.of()).step("gpu-operator")).isNotNull();
    Plan laptop = plan("laptop", Map.of());
    assertThat(laptop.steps()).extracting(PlanStep::name).doesNotContain("katib", "kubeflow-pipelines", "kube-prometheus-stack", "gpu-operator");
  }

  @Test
  @SuppressWarnings("unchecked")
  void classroomKeepsWhatTheLessonsUseAndTimeSlicesTheGpu() {
    Plan classroom = plan("classroom", Map.of());
    assertThat(classroom.steps()).extracting(PlanStep::name)
        .contains("kueue", "kserve", "kubeflow-pipelines", "mlflow", "gpu-operator")
        .doesNotContain("jupyterhub", "kubeflow-notebooks", "katib", "volcano", "kube-prometheus-stack");
    Map<String, Object> values = classroom.step("gpu-operator").values();
    Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) values.get("devicePlugin")).get("config");
    assertThat(((Map<String, String>) config.get("data")).get("any")).contains("replicas: 4");
    assertThat(((Map<String, Object>) values.get("driver")).get("enabled")).isEqualTo(false);
  }

  @Test
  void planIsDeterministicAndItsDigestFollowsItsInputs() {
    Plan a = plan("kind", Map.of());
    Plan b = plan("kind", Map.of());
    assertThat(a.digest()).isEqualTo(b.digest()).startsWith("sha256:");
    Plan c = plan("kind", Map.of("kueue", Map.of("replicas", 2L)));
    assertThat(c.digest()).isNotEqualTo(a.digest());
    assertThat(c.step("kueue").valuesDigest()).isNotEqualTo(a.step("kueue").valuesDigest());
    assertThat(c.step("volcano").valuesDigest()).isEqualTo(a.step("volcano").valuesDigest());
  }

  @Test
  void valuesLayerDistributionThenProfileThenOverrides() {
    Plan plan = plan("eks", Map.of("jupyterhub", Map.of("proxy", Map.of("service", Map.of("type", "NodePort")))));
    // distribution default ClusterIP, eks profile LoadBalancer, override NodePort
    assertThat(plan.step("jupyterhub").values()).extractingByKey("proxy").isEqualTo(Map.of("service", Map.of("type", "NodePort")));
    assertThat(plan("eks", Map.of()).step("jupyterhub").values()).extractingByKey("proxy").isEqualTo(Map.of("service", Map.of("type", "LoadBalancer")));
    assertThat(plan("kind", Map.of()).step("jupyterhub").values()).extractingByKey("proxy").isEqualTo(Map.of("service", Map.of("type", "ClusterIP")));
    // a profile value merges into, not over, the distribution defaults
    assertThat(plan("eks", Map.of()).step("gpu-operator").values()).containsKeys("nfd", "cdi", "driver");
  }

  @Test
  @SuppressWarnings("unchecked")
  void gpuSharingBecomesGpuOperatorValues() {
    Map<String, Object> gke = plan("gke", Map.of()).step("gpu-operator").values();
    Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) gke.get("devicePlugin")).get("config");
    assertThat(((Map<String, String>) config.get("data")).get("any")).contains("replicas: 4");
    assertThat(plan("eks", Map.of()).step("gpu-operator").values()).doesNotContainKey("devicePlugin");
  }

  @Test
  void objectStorageBecomesTheMlflowArtifactRoot() {
    assertThat(plan("gke", Map.of()).step("mlflow").values().toString()).contains("gs://cnai-artifacts/mlflow");
    assertThat(plan("eks", Map.of()).step("mlflow").values().toString()).contains("s3://cnai-artifacts/mlflow");
  }

  @Test
  void unlockedComponentsAreReported() {
    Plan plan = plan("kind", Map.of());
    assertThat(plan.warnings()).singleElement().asString().contains("not locked").contains("cert-manager").doesNotContain("volcano,");
  }

  @Test
  void refusesADependencyTheProfileDisables() {
    Map<String, Profile> profiles = new java.util.HashMap<>(PROFILES);
    profiles.put("no-cm", ProfileLoader.parse("no-cm.yaml", """
        apiVersion: cnai.io/v1alpha1
        kind: Profile
        metadata: {name: no-cm}
        spec:
          extends: kind
          components:
            cert-manager: false
        """));
    ResolvedProfile p = ProfileResolver.resolve(profiles, "no-cm", RELEASE);
    assertThatThrownBy(() -> Planner.plan(RELEASE, p, Planner.assumedFacts(RELEASE, p, null), Map.of()))
        .isInstanceOf(CnaiException.class)
        .hasMessageContaining("depends on 'cert-manager', which profile 'no-cm' disables")
        .hasMessageContaining("hint: enable 'cert-manager'");
  }

  @Test
  void refusesATargetOlderThanAComponentNeeds() {
    ResolvedProfile p = ProfileResolver.resolve(PROFILES, "kind", RELEASE);
    assertThatThrownBy(() -> Planner.plan(RELEASE, p, Planner.assumedFacts(RELEASE, p, KubeVersion.parse("1.33")), Map.of()))
        .isInstanceOf(CnaiException.class)
        .hasMessageContaining("needs Kubernetes 1.34");
    assertThatThrownBy(() -> Planner.plan(RELEASE, p, Planner.assumedFacts(RELEASE, p, KubeVersion.parse("1.40")), Map.of()))
        .hasMessageContaining("newer than distribution 2026.11 has been verified with (up to 1.36)");
  }

  @Test
  void refusesValuesForUnknownOrDisabledComponents() {
    assertThatThrownBy(() -> plan("kind", Map.of("kueu", Map.of("a", 1L)))).hasMessageContaining("'kueu', which is not a component");
    assertThatThrownBy(() -> plan("kind", Map.of("gpu-operator", Map.of("a", 1L)))).hasMessageContaining("which profile 'kind' disables");
  }

  @Test
  void liveFactsAreCheckedAgainstTheProfileRequirements() {
    ResolvedProfile p = ProfileResolver.resolve(PROFILES, "eks", RELEASE);
    TargetFacts small = new TargetFacts(KubeVersion.parse("1.35"), List.of(), 3, 64, 256L << 30, 2, "NVIDIA-H100-80GB-HBM3", List.of("gp3"), "cluster");
    assertThatThrownBy(() -> Planner.plan(RELEASE, p, small, Map.of())).hasMessageContaining("needs 8 GPUs; the cluster has 2");
    TargetFacts big = new TargetFacts(KubeVersion.parse("1.35"), List.of(), 3, 64, 256L << 30, 16, "NVIDIA-H100-80GB-HBM3", List.of("gp3"), "cluster");
    assertThat(Planner.plan(RELEASE, p, big, Map.of()).steps()).isNotEmpty();
  }
}
