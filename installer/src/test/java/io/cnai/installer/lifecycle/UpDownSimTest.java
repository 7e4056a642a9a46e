package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.sim.SimComponent;
import io.cnai.installer.cluster.sim.SimProvider;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cnai up' and 'cnai down': with the existing provider (the test's sim cluster), and with the sim
 * provider, which creates a cluster of its own (under $CNAI_HOME, else ~/.cnai; its name is unique
 * per test, and a finally deletes it whatever happens).
 */
@SimClusterTest
class UpDownSimTest {
  @TempDir Path tmp;

  @Test
  void upInstallsAndChecksHealthDownRemovesTheStackButNotTheCluster(SimCluster cluster, KubernetesClient client) {
    SimState.resetHistory(client);
    String kc = cluster.cluster().kubeconfig().toString();
    String ctx = cluster.cluster().context();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, true, "updown");
      List<String> up = new ArrayList<>(List.of("up", "--provider", "existing", "--kubeconfig", kc, "--context", ctx, "--timeout", "60s"));
      up.addAll(List.of(s.trusted()));
      Cli.Result r = Cli.run(up.toArray(String[]::new));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("health: every component is ready");
      assertThat(SimState.deployedReleases(client)).containsKeys("updown-certs/certs", "updown-hooks/hooks");

      r = Cli.run("down", "--provider", "existing", "--kubeconfig", kc, "--context", ctx);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("does not delete clusters it did not create", "PVCs and CRDs kept");
      assertThat(SimState.deployedReleases(client).keySet()).noneMatch(k -> k.startsWith("updown-"));
      assertThat(SimState.labelled(client, "updown-")).as("the stack's workloads are gone, its CRDs stay")
          .allMatch(x -> x.startsWith("CustomResourceDefinition/")).contains("CustomResourceDefinition/certificates.certs.cnai.test");
      assertThat(client.getKubernetesVersion()).isNotNull();

      // up again, then down --delete-crds: nothing of the stack stays
      r = Cli.run(up.toArray(String[]::new));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      r = Cli.run("down", "--provider", "existing", "--kubeconfig", kc, "--context", ctx, "--delete-crds", "--delete-pvcs");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(SimState.labelled(client, "updown-")).isEmpty();
    }
  }

  /** A name no other run on this machine uses (not junit-: the test kit deletes those it thinks abandoned). */
  private static String uniqueName(String what) {
    return "updown-" + what + "-" + ProcessHandle.current().pid() + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
  }

  /** The pids the sim cluster recorded for its processes. */
  private static List<Long> pids(SimCluster c) throws IOException {
    List<Long> out = new ArrayList<>();
    for (SimComponent part : SimComponent.values()) {
      Path f = c.layout().pid(part);
      if (Files.isRegularFile(f)) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(f)) {
          p.load(in);
        }
        out.add(Long.parseLong(p.getProperty("pid")));
      }
    }
    return out;
  }

  /** Whether the process runs; a zombie (exited, not yet reaped by an init process) does not. */
  private static boolean alive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false; // gone between the two looks
    }
  }

  @Test
  void upWithTheSimProviderCreatesAClusterAndInstallsDownDeletesIt() throws IOException {
    SimProvider provider = SimProvider.fromEnvironment();
    String name = uniqueName("sim");
    Path kubeconfig = tmp.resolve("kube/" + name + ".yaml");
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, true, "upsim");
      List<String> up = new ArrayList<>(List.of("up", "--provider", "sim", "--name", name, "--kubeconfig", kubeconfig.toString(),
          "--timeout", "120s"));
      up.addAll(List.of(s.trusted()));
      Cli.Result r = Cli.run(up.toArray(String[]::new));
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("cluster: creating '" + name + "' with provider sim", "health: every component is ready",
          "export KUBECONFIG=" + kubeconfig);

      // the cluster exists and runs
      Optional<SimCluster> made = provider.open(name);
      assertThat(made).isPresent();
      SimCluster c = made.get();
      assertThat(c.health()).as("every part of the new cluster runs").doesNotContainValue(false);
      Cli.Result list = Cli.run("cluster", "list", "--provider", "sim");
      assertThat(list.out().lines().filter(l -> l.startsWith(name + " "))).singleElement().asString().contains("running");
      assertThat(kubeconfig).isRegularFile();

      // the stack is deployed on it, not on the test's cluster
      try (KubernetesClient client = SimProvider.client(c.cluster())) {
        assertThat(SimState.revisions(client)).extracting(StackRevision::status).containsExactly(StackRevision.Status.DEPLOYED);
        assertThat(SimState.deployedReleases(client)).containsKeys("upsim-certs/certs", "upsim-queues/queues", "upsim-hooks/hooks");
        var operator = client.apps().deployments().inNamespace(s.namespace("store-operator")).withName("store-operator").get();
        assertThat(operator).isNotNull();
        assertThat(operator.getStatus().getReadyReplicas()).isEqualTo(1);
        assertThat(client.pods().inNamespace(s.namespace("store-operator")).list().getItems()).isNotEmpty()
            .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
        assertThat(Cli.run("status", "--kubeconfig", kubeconfig.toString()).exit()).isZero();
      }

      // a name that is taken is bad input; the running cluster and its stack are left as they are
      List<String> again = new ArrayList<>(List.of("up", "--provider", "sim", "--name", name, "--timeout", "30s"));
      again.addAll(List.of(s.trusted()));
      r = Cli.run(again.toArray(String[]::new));
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("sim cluster '" + name + "' already exists and runs", "cnai cluster delete --provider sim --name " + name);
      assertThat(c.health()).doesNotContainValue(false);
      try (KubernetesClient client = SimProvider.client(c.cluster())) {
        assertThat(SimState.revisions(client)).hasSize(1);
      }

      // down: the stack, then the cluster, its processes, its directory and the kubeconfig cnai wrote
      List<Long> pids = pids(c);
      assertThat(pids).hasSize(SimComponent.values().length).allMatch(UpDownSimTest::alive);
      Path root = c.layout().root();
      r = Cli.run("down", "--provider", "sim", "--name", name, "--timeout", "120s");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("down: cluster '" + name + "' deleted");
      assertThat(provider.open(name)).isEmpty();
      assertThat(root).doesNotExist();
      assertThat(kubeconfig).doesNotExist();
      assertThat(pids).noneMatch(UpDownSimTest::alive);
      assertThat(Cli.run("cluster", "list", "--provider", "sim").out()).doesNotContain(name);

      // down again: nothing to do
      r = Cli.run("down", "--provider", "sim", "--name", name);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("no sim cluster named '" + name + "'");
    } finally {
      provider.delete(name);
    }
  }

  @Test
  void upWithTheSimProviderRefusesBadInputAndCreatesNothing() {
    SimProvider provider = SimProvider.fromEnvironment();
    List<String> before = provider.list().stream().map(c -> c.name()).toList();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, true, "upbad");
      String valid = uniqueName("bad");
      for (String[] bad : List.of(
          new String[] {"--name", "Not_A_Name"},
          new String[] {"--name", "-" + valid},
          new String[] {"--name", "x".repeat(41)},
          new String[] {"--name", valid, "--context", "elsewhere"})) {
        List<String> up = new ArrayList<>(List.of("up", "--provider", "sim"));
        up.addAll(List.of(bad));
        up.addAll(List.of(s.trusted()));
        Cli.Result r = Cli.run(up.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", bad) + "\n" + r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).as(String.join(" ", bad)).containsAnyOf("invalid cluster name", "--context is only for --provider existing");
        assertThat(provider.list().stream().map(c -> c.name()).toList()).as("nothing created").isEqualTo(before);
      }
      Cli.Result r = Cli.run("down", "--provider", "sim", "--name", "Not_A_Name");
      assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("invalid cluster name");
      r = Cli.run("down", "--provider", "sim", "--name", valid);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("no sim cluster named '" + valid + "'");
    } finally {
      provider.list().stream().map(c -> c.name()).filter(n -> !before.contains(n) && n.startsWith("updown-bad-")).forEach(provider::delete);
    }
  }

  @Test
  void downDeletesASimClusterWhoseProcessesAreGone() throws IOException {
    SimProvider provider = SimProvider.fromEnvironment();
    String name = uniqueName("gone");
    try {
      Cli.Result r = Cli.run("cluster", "create", "--provider", "sim", "--name", name, "--nodes", "1", "--gpu-nodes", "0");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      SimCluster c = provider.open(name).orElseThrow();
      List<Long> pids = pids(c);
      // as after a reboot: nothing of the cluster runs, its state is left behind
      for (SimComponent part : SimComponent.values()) {
        c.stop(part);
      }
      assertThat(pids).noneMatch(UpDownSimTest::alive);
      Path root = c.layout().root();
      r = Cli.run("down", "--provider", "sim", "--name", name, "--timeout", "20s");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("cluster '" + name + "' is stopped; deleting it without uninstalling", "down: cluster '" + name + "' deleted");
      assertThat(provider.open(name)).isEmpty();
      assertThat(root).doesNotExist();
    } finally {
      provider.delete(name);
    }
  }
}
