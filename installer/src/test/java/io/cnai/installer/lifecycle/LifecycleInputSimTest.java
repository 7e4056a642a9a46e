package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and refused verification: a clear message, the right exit code, nothing applied. */
@SimClusterTest
class LifecycleInputSimTest {
  static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.cnai.installer.json.Mappers.JSON;

  @TempDir Path tmp;


  private static void assertNothingApplied(KubernetesClient client, String prefix) {
    assertThat(SimState.revisions(client)).isEmpty();
    assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName()).noneMatch(n -> n.startsWith(prefix));
    assertThat(SimState.deployedReleases(client).keySet()).noneMatch(k -> k.startsWith(prefix));
  }

  @Test
  void aTamperedChartIsRefusedBeforeAnythingIsApplied(SimCluster cluster, KubernetesClient client) {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, true, "tamper");
      repo.tamper("hooks", "2.0.0", "not the chart".getBytes(StandardCharsets.UTF_8));
      Cli.Result r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", cluster.cluster().kubeconfig().toString()));
      assertThat(r.exit()).as(r.err()).isEqualTo(3);
      assertThat(r.err()).contains("hooks");
      assertNothingApplied(client, "tamper-");
    }
  }

  @Test
  void aLockfileEditedAfterSigningIsRefusedBeforeAnythingIsApplied(SimCluster cluster, KubernetesClient client) throws java.io.IOException {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, true, "edited");
      String kc = cluster.cluster().kubeconfig().toString();
      Path key = s.publicKey();
      s.sign(s.distribution());
      // one value changed after the release was signed
      Files.writeString(s.distribution(), Files.readString(s.distribution()).replace("version: 0.9.2", "version: 0.9.3"));
      Cli.Result r = Cli.run(Cli.args("install", s.args(), "--kubeconfig", kc, "--distribution-key", key.toString()));
      assertThat(r.exit()).as(r.err()).isEqualTo(3);
      assertThat(r.err()).contains(s.distribution().toString());
      assertNothingApplied(client, "edited-");
      // without any signature, install is refused unless the user says otherwise, and that is recorded
      Files.delete(Path.of(s.distribution() + ".sigstore.json"));
      r = Cli.run(Cli.args("install", s.args(), "--kubeconfig", kc, "--distribution-key", key.toString()));
      assertThat(r.exit()).as(r.err()).isEqualTo(3);
      assertNothingApplied(client, "edited-");
    }
  }

  @Test
  void requireLockedRefusesUnlockedComponentsUnlessAllowedExplicitly(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, false, "locked");
      String kc = cluster.cluster().kubeconfig().toString();
      Cli.Result r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--require-locked"));
      assertThat(r.exit()).as(r.err()).isEqualTo(3);
      assertThat(r.err()).contains("component 'queues' is not locked", "--allow-unverified queues");
      assertNothingApplied(client, "locked-");

      r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--require-locked", "--allow-unverified", "nosuch"));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("'nosuch', which is not a component");
      assertNothingApplied(client, "locked-");

      r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--require-locked", "--allow-unverified", "queues", "--timeout", "60s"));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("installed unverified, as --allow-unverified queues says");
      StackRevision rev = SimState.revisions(client).get(0);
      assertThat(rev.allowUnverified()).containsExactly("queues");

      // the same again with --output json: every line is an event or the result, nothing changed
      r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--require-locked", "--allow-unverified", "queues", "--output", "json"));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      for (String line : r.out().lines().toList()) {
        var n = JSON.readTree(line);
        assertThat(n.has("phase") || n.has("result")).as(line).isTrue();
      }
      assertThat(r.out()).contains("\"changed\":false", "\"phase\":\"fetch\"");
      // unchanged and not drifted: verified, never rendered (the drift check reads what Helm stored)
      assertThat(r.out()).doesNotContain("\"phase\":\"render\"");
      assertThat(Cli.run("status", "--kubeconfig", kc).exit()).isZero();
      var history = JSON.readTree(Cli.run("history", "--kubeconfig", kc, "-o", "json").out());
      assertThat(history).hasSize(1);
      assertThat(history.get(0).get("status").asText()).isEqualTo("DEPLOYED");
      assertThat(Cli.run("history", "--kubeconfig", kc).out()).contains("INSTALL", "DEPLOYED");
    } finally {
      assertThat(Cli.run("uninstall", "--kubeconfig", cluster.cluster().kubeconfig().toString()).exit()).isZero();
    }
  }

  @Test
  void badInputIsExitTwoWithNothingApplied(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, true, "bad");
      String kc = cluster.cluster().kubeconfig().toString();

      Cli.Result r = Cli.run(Cli.args("upgrade", s.trusted(), "--kubeconfig", kc));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("nothing is installed", "cnai install");

      r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--timeout", "soon"));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("--timeout 'soon' is not a duration");

      r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", tmp.resolve("nope.yaml").toString()));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("nope.yaml does not exist");

      r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--context", "nosuch"));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("nosuch");

      Path mirrors = tmp.resolve("mirrors.yaml");
      Files.writeString(mirrors, "apiVersion: cnai.io/v1alpha1\nkind: Mirrors\nmirrors:\n  - upstream: https://a.example\n    mirorr: http://b\n");
      r = Cli.run(Cli.args("install", s.trusted(), "--kubeconfig", kc, "--mirrors", mirrors.toString()));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("mirrors.yaml:4", "missing required field 'mirror'");

      r = Cli.run("rollback", "--kubeconfig", kc);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("no earlier deployed stack revision");

      r = Cli.run("status", "--kubeconfig", kc);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("nothing is installed");
      assertNothingApplied(client, "bad-");
    }
  }
}
