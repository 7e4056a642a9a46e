package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.conformance.ConformanceOptions;
import io.cnai.conformance.ConformanceResult;
import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.RequirementOutcome;
import io.cnai.conformance.ScenarioOutcome;
import io.cnai.conformance.ScenarioOutcome.Status;
import io.cnai.conformance.StackRevisions;
import io.cnai.core.Yaml;
import io.cnai.installer.TestPaths;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AI Conformance suite against the shared sim cluster (real API server and scheduler, kwok
 * nodes, two of them with 8 simulated GPUs): the API and scheduling scenarios run and pass, the
 * ones that need containers, a real GPU or the cnai stack are reported not run, and the reports are
 * written and validated.
 */
@SimClusterTest
class ConformanceSimTest {
  @TempDir Path out;

  @Test
  void apiAndSchedulingScenariosPassTheOthersAreNotRunAndReportsAreWritten(SimCluster sim, KubernetesClient client)
      throws Exception {
    boolean stackInstalled = StackRevisions.lastDeployed(client).isPresent();
    long t0 = System.nanoTime();
    ConformanceResult r = ConformanceRunner.run(new ConformanceOptions(sim.cluster().kubeconfig(), null, null, out,
        TestPaths.root().resolve("distro/releases"), Clock.systemUTC(), ConformanceFixtures.submission()));
    System.out.printf("[conformance] %d scenarios in %d ms%n%s", r.scenarios().size(),
        (System.nanoTime() - t0) / 1_000_000, r.summary());

    assertThat(r.count(Status.FAILED)).as(r.summary()).isZero();
    assertThat(r.exitCode()).isZero();
    assertThat(r.kubernetesVersion()).startsWith("v1.37");
    // the template given (the v1.36 fixture) decides the checklist; a v1.37 cluster cannot submit it
    assertThat(r.checklistVersion()).isEqualTo("1.36");
    assertThat(r.blockers()).anySatisfy(b -> assertThat(b).contains("cluster runs Kubernetes v1.37"));

    // the API and scheduling scenarios run for real and pass
    assertThat(names(r, s -> s.status() == Status.PASSED)).contains(
        "All DRA kinds are served in resource.k8s.io/v1",
        "A ResourceClaim for a DeviceClass is stored and read back",
        "A pod asking for a GPU is placed only on a node that has GPUs",
        "A pod without a GPU request gets no GPU, even on a GPU node",
        "A pod asking for more GPUs than any node has is not placed",
        "A namespace's GPU quota is enforced",
        "RBAC keeps one team's accelerator workloads out of another team's namespace",
        "A CRD becomes Established and its schema is enforced by the API server",
        "An autoscaler on a custom metric is accepted for a deployment of accelerator pods");
    // nothing that needs containers or a real GPU passes on kwok nodes
    assertThat(r.scenarios()).filteredOn(s -> s.hasTag("needs-containers") || s.hasTag("needs-gpu"))
        .isNotEmpty()
        .allSatisfy(s -> {
          assertThat(s.status()).isEqualTo(Status.NOT_RUN);
          assertThat(s.reason()).startsWith("not run: ").containsAnyOf("kwok", "no cnai stack installed");
        });
    assertThat(r.scenarios()).filteredOn(s -> s.hasTag("needs-gpu") && !s.hasTag("needs-stack"))
        .allSatisfy(s -> assertThat(s.reason()).contains("GPU nodes are simulated by kwok"));
    if (!stackInstalled) {
      assertThat(r.scenarios()).filteredOn(s -> s.hasTag("stack")).hasSize(3).allSatisfy(s -> {
        assertThat(s.status()).isEqualTo(Status.NOT_RUN);
        assertThat(s.reason()).isEqualTo("not run: no cnai stack installed (no stack revision in cnai-system)");
      });
    }
    // no cluster autoscaler on a sim cluster: the condition of this conditional MUST does not hold; the
    // program's validator accepts only Implemented for a MUST, so it is that, with the reason (docs/adr/0402)
    assertThat(requirement(r, "cluster_autoscaling").status()).isEqualTo("Implemented");
    assertThat(requirement(r, "cluster_autoscaling").conditionNotMet()).isTrue();
    assertThat(requirement(r, "cluster_autoscaling").notes()).contains("condition does not hold").contains("no cluster autoscaler");
    assertThat(requirement(r, "secure_accelerator_access").status()).isEqualTo("Partially Implemented");
    assertThat(requirement(r, "gang_scheduling").status()).isEqualTo(stackInstalled ? "Partially Implemented" : "Not Implemented");

    // the scenarios cleaned up their namespaces
    assertThat(client.namespaces().withLabel("cnai.io/conformance", "true").list().getItems())
        .allSatisfy(ns -> assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating"));

    // reports: Cucumber's JUnit XML, JSON and HTML, evidence, PRODUCT.yaml validated
    String junit = Files.readString(out.resolve("junit.xml"));
    assertThat(junit).contains("failures=\"0\"").contains("<skipped");
    assertThat(out.resolve("cucumber.json")).isNotEmptyFile();
    assertThat(out.resolve("cucumber.html")).isNotEmptyFile();
    String quota = Files.readString(out.resolve("evidence/secure_accelerator_access.txt"));
    assertThat(quota).contains("result: PASSED").contains("exceeded quota").contains("Insufficient nvidia.com/gpu");
    Map<?, ?> product = (Map<?, ?>) Yaml.read(out.resolve("PRODUCT.yaml")).toPlain();
    Map<?, ?> spec = (Map<?, ?>) product.get("spec");
    Map<?, ?> security = (Map<?, ?>) ((List<?>) spec.get("security")).get(0);
    assertThat(security.get("id")).isEqualTo("secure_accelerator_access");
    assertThat(security.get("evidence")).isEqualTo(List.of("evidence/secure_accelerator_access.txt"));
    // a sim cluster cannot be certified: the validator says which MUSTs are missing
    assertThat(r.violations()).extracting(Object::toString)
        .anySatisfy(v -> assertThat(v).contains("(gang_scheduling).status").contains("MUST requirement must be Implemented"));
  }

  @Test
  void theCliRunsTheSelectedScenariosPrintsTheSummaryAndExitsZero(SimCluster sim) throws Exception {
    Cli.Result res = Cli.run("conformance", "run", "--kubeconfig", sim.cluster().kubeconfig().toString(),
        "--tags", "@secure_accelerator_access", "--output-dir", out.toString(),
        "--template", ConformanceFixtures.template().toString());
    assertThat(res.exit()).as(res.out() + res.err()).isZero();
    assertThat(res.out()).contains("secure_accelerator_access").contains("MUST").contains("Partially Implemented")
        .contains("scenarios: 5 passed, 0 failed, 1 not run").contains("PRODUCT.yaml: not submittable")
        .contains("no product metadata (--product FILE)");
    assertThat(out.resolve("PRODUCT.yaml")).isNotEmptyFile();
    assertThat(out.resolve("junit.xml")).isNotEmptyFile();
  }

  private static List<String> names(ConformanceResult r, Predicate<ScenarioOutcome> p) {
    return r.scenarios().stream().filter(p).map(ScenarioOutcome::name).toList();
  }

  private static RequirementOutcome requirement(ConformanceResult r, String id) {
    return r.requirements().stream().filter(x -> x.requirement().id().equals(id)).findFirst().orElseThrow();
  }
}
