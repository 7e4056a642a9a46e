package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.conformance.ConformanceOptions;
import io.cnai.conformance.ConformanceResult;
import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.ScenarioOutcome;
import io.cnai.conformance.ScenarioOutcome.Status;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture stack installed with the real 'cnai install' on the sim cluster, then certified: the
 * stack scenarios run against what install recorded and pass; scenarios that need containers or
 * GPUs are not run, never passed.
 */
@SimClusterTest
class InstalledStackConformanceSimTest {
  @TempDir Path tmp;

  @Test
  void theInstalledFixtureStackIsCertified(SimCluster sim) throws Exception {
    String kc = sim.cluster().kubeconfig().toString();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack stack = TestStack.fixture(repo, tmp, true, "certify");
      List<String> install = new ArrayList<>(List.of("install"));
      install.addAll(List.of(stack.trusted("--kubeconfig", kc, "--timeout", "60s")));
      Cli.Result r = Cli.run(install.toArray(String[]::new));
      assertThat(r.exit()).as(r.err()).isZero();
      try {
        // the lock of the installed distribution, where conformance looks for it
        Path releases = tmp.resolve("releases");
        Files.createDirectories(releases.resolve("2026.11"));
        Files.copy(stack.distribution(), releases.resolve("2026.11/distribution.yaml"));
        ConformanceResult result =
            ConformanceRunner.run(new ConformanceOptions(sim.cluster().kubeconfig(), null, "@stack or @dra_support or @secure_accelerator_access",
                tmp.resolve("report"), releases, Clock.systemUTC(), ConformanceFixtures.submission()));
        assertThat(result.scenarios()).filteredOn(s -> s.hasTag("stack")).extracting(ScenarioOutcome::name, ScenarioOutcome::status)
            .as("stack scenarios: %s", result.scenarios())
            .hasSize(3)
            .allSatisfy(t -> assertThat(t.toList().get(1)).isEqualTo(Status.PASSED));
        assertThat(result.scenarios()).filteredOn(s -> s.hasTag("needs-gpu")).isNotEmpty()
            .allSatisfy(s -> assertThat(s.status()).isNotEqualTo(Status.PASSED));
        assertThat(result.exitCode()).isZero();
        assertThat(tmp.resolve("report/PRODUCT.yaml")).exists();
        assertThat(tmp.resolve("report/junit.xml")).exists();
      } finally {
        Cli.Result u = Cli.run("uninstall", "--kubeconfig", kc, "--timeout", "60s");
        assertThat(u.exit()).as(u.err()).isZero();
      }
    }
  }
}
