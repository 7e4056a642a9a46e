package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.installer.testing.LocalFileServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install, upgrade and rollback of a stack whose lockfile names upstream locations the test cannot
 * reach: every chart and manifest comes through --mirrors (a real HTTP chart repository and a real
 * HTTP server with the release manifest). Each command starts with an empty cache, so each one
 * fetches, and without --mirrors the same command fails before applying anything.
 */
@SimClusterTest
class MirroredLifecycleSimTest {
  static final String CHARTS = "https://charts.upstream.invalid/stable";
  static final String MANIFEST = "https://releases.upstream.invalid/store/v1.0.0/operator.yaml";

  @TempDir Path tmp;
  int caches;

  /** Points the digest cache at a new, empty folder, so that the next command has to fetch. */
  private void freshCache() {
    System.setProperty("cnai.cache", tmp.resolve("cache-" + ++caches).toString());
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("cnai.cache");
  }


  @Test
  void installUpgradeAndRollbackFetchThroughTheMirrors(SimCluster cluster, KubernetesClient client) throws IOException {
    SimState.resetHistory(client);
    String kc = cluster.cluster().kubeconfig().toString();
    Path web = tmp.resolve("web");
    Files.createDirectories(web);
    try (LocalChartRepository repo = LocalChartRepository.start(); LocalFileServer files = LocalFileServer.start(web)) {
      Files.createDirectories(tmp.resolve("stack"));
      TestStack s = TestStack.fixture(repo, tmp.resolve("stack"), true, "mirrored");
      Files.createDirectories(web.resolve("store/v1.0.0"));
      Files.copy(s.dir.resolve("operator.yaml"), web.resolve("store/v1.0.0/operator.yaml"));
      // the release names its upstream locations; only the mirrors can be reached
      Files.writeString(s.distribution(), Files.readString(s.distribution())
          .replace(repo.url(), CHARTS)
          .replace(s.dir.resolve("operator.yaml").toUri().toString(), MANIFEST));
      assertThat(Files.readString(s.distribution())).contains(CHARTS, MANIFEST).doesNotContain("127.0.0.1", "file:");
      Path mirrors = tmp.resolve("mirrors.yaml");
      Files.writeString(mirrors, """
          apiVersion: cnai.io/v1alpha1
          kind: Mirrors
          mirrors:
            - upstream: %s
              mirror: %s
            - upstream: https://releases.upstream.invalid
              mirror: %s
          """.formatted(CHARTS, repo.url(), files.url()));

      freshCache();
      Cli.Result r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--timeout", "60s"));
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.err()).contains("upstream.invalid");
      assertThat(SimState.revisions(client)).isEmpty();

      r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--timeout", "60s", "--mirrors", mirrors.toString()));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(files.requests()).containsExactly("/store/v1.0.0/operator.yaml");
      assertThat(SimState.deployedReleases(client)).containsKeys("mirrored-certs/certs", "mirrored-hooks/hooks");
      assertThat(client.apps().deployments().inNamespace(s.namespace("store-operator")).withName("store-operator").get()).isNotNull();

      freshCache();
      r = Cli.run(Cli.args("upgrade", s.trusted(), "--kubeconfig", kc, "--timeout", "60s", "--set", "certs.replicaCount=2"));
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.err()).contains("upstream.invalid");
      r = Cli.run(Cli.args("upgrade", s.trusted(), "--kubeconfig", kc, "--timeout", "60s", "--set", "certs.replicaCount=2", "--mirrors", mirrors.toString()));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(files.requests()).hasSize(2);
      int revisions = SimState.revisions(client).size();

      freshCache();
      r = Cli.run("rollback", "--kubeconfig", kc, "--timeout", "60s");
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
      assertThat(r.err()).contains("upstream.invalid");
      assertThat(SimState.revisions(client)).hasSize(revisions);
      r = Cli.run("rollback", "--kubeconfig", kc, "--timeout", "60s", "--mirrors", mirrors.toString());
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(files.requests()).hasSize(3);
      assertThat(SimState.revisions(client)).hasSize(revisions + 1);
    } finally {
      assertThat(Cli.run("uninstall", "--kubeconfig", kc).exit()).isZero();
    }
  }
}
