package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.FixtureStack;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cnai up' and 'cnai down' with the existing provider (the test's sim cluster; one cluster at a time). */
@SimClusterTest
class UpDownSimTest {
  @TempDir Path tmp;

  @Test
  void upInstallsAndChecksHealthDownRemovesTheStackButNotTheCluster(SimCluster cluster, KubernetesClient client) {
    SimState.resetHistory(client);
    String kc = cluster.cluster().kubeconfig().toString();
    String ctx = cluster.cluster().context();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      FixtureStack s = FixtureStack.create(repo, tmp, true, "updown");
      List<String> up = new ArrayList<>(List.of("up", "--provider", "existing", "--kubeconfig", kc, "--context", ctx, "--timeout", "60s"));
      up.addAll(List.of(s.trusted()));
      Cli.Result r = Cli.run(up.toArray(String[]::new));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("health: every component is ready");
      assertThat(SimState.deployedReleases(client)).containsKeys("updown-certs/certs", "updown-hooks/hooks");

      r = Cli.run("down", "--provider", "existing", "--kubeconfig", kc, "--context", ctx);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("does not delete clusters it did not create");
      assertThat(SimState.deployedReleases(client).keySet()).noneMatch(k -> k.startsWith("updown-"));
      assertThat(SimState.labelled(client, "updown-")).isEmpty();
      assertThat(client.getKubernetesVersion()).isNotNull();
    }
  }
}
