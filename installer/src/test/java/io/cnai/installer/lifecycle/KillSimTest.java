package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Status;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installer, a separate JVM, is killed with SIGKILL at 10 different moments (5 of an install,
 * 5 of an upgrade: after the k-th progress line it prints); the same command run again converges:
 * one deployed revision, nothing pending in cnai's or Helm's records, status clean.
 */
@SimClusterTest
class KillSimTest {
  @TempDir Path tmp;

  /**
   * A moment: once a progress line containing {@code after} is printed, plus {@code delayMs}; or,
   * with {@code pendingRelease}, as soon as Helm has stored that release's record in a pending
   * state (inside the Helm call, the window an interrupted Helm leaves behind).
   */
  private record Moment(String after, int delayMs, String pendingRelease) {
    Moment(String after, int delayMs) {
      this(after, delayMs, null);
    }

    @Override
    public String toString() {
      return "'" + after + "'" + (delayMs > 0 ? " + " + delayMs + " ms" : "")
          + (pendingRelease == null ? "" : ", once Helm's record of '" + pendingRelease + "' is pending");
    }
  }

  private static final Moment[] INSTALL_KILLS = {
    new Moment("RENDER", 0),
    new Moment("certs APPLY 2 CRD", 0),
    new Moment("certs APPLY helm", 150),
    new Moment("hooks APPLY helm", 0, "hooks"),
    new Moment("hooks READY", 0),
  };
  private static final Moment[] UPGRADE_KILLS = {
    new Moment("PLAN", 0),
    new Moment("store-operator APPLY 1 object", 0),
    new Moment("certs APPLY helm", 0, "certs"),
    new Moment("greedy APPLY helm", 250),
    new Moment("hooks REMOVE", 100),
  };

  @Test
  void killedAtAnyMomentTheNextRunConverges(SimCluster cluster, KubernetesClient client) throws Exception {
    String kc = cluster.cluster().kubeconfig().toString();
    List<String> report = new ArrayList<>();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      SimState.resetHistory(client);
      for (int round = 0; round < INSTALL_KILLS.length; round++) {
        TestStack s = TestStack.lifecycle(repo, tmp.resolve("r" + round), "kill" + round);
        String[] install = concat(new String[] {"install"}, s.signed("v1", "--kubeconfig", kc, "--timeout", "60s"));
        String[] upgrade = concat(new String[] {"upgrade"}, s.signed("v2", "--kubeconfig", kc, "--timeout", "60s"));

        report.add("install killed at " + INSTALL_KILLS[round] + ": " + killAfter(client, "kill" + round + "-", install, INSTALL_KILLS[round], tmp));
        report.add("  rerun: " + converge(client, kc, install, "kill" + round + "-", round == 0));
        report.add("upgrade killed at " + UPGRADE_KILLS[round] + ": " + killAfter(client, "kill" + round + "-", upgrade, UPGRADE_KILLS[round], tmp));
        report.add("  rerun: " + converge(client, kc, upgrade, "kill" + round + "-", round == INSTALL_KILLS.length - 1));
        assertThat(SimState.deployedReleases(client)).containsKeys("kill" + round + "-greedy/greedy")
            .doesNotContainKey("kill" + round + "-hooks/hooks");
        Cli.Result u = Cli.run("uninstall", "--kubeconfig", kc);
        assertThat(u.exit()).as(u.out() + u.err()).isZero();
        assertThat(SimState.labelled(client, "kill" + round + "-")).noneMatch(x -> x.startsWith("Deployment/"));
      }
    }
    finally {
      Cli.run("uninstall", "--kubeconfig", kc);
    }
    System.out.println(String.join("\n", report));
    assertThat(String.join("\n", report)).as("some kill left a pending revision that the rerun repaired").contains("left pending");
    // The kills that wait for Helm's pending record land inside a Helm call: the rerun must have found
    // the release stuck in pending-install / pending-upgrade and repaired it (and converge() asserted
    // that no pending Helm record and at most one deployed one is left).
    assertThat(report).as("a kill inside 'helm install' was repaired")
        .anyMatch(l -> l.contains("REPAIR Helm release revision") && l.contains("left pending-install"));
    assertThat(report).as("a kill inside 'helm upgrade' was repaired")
        .anyMatch(l -> l.contains("REPAIR Helm release revision") && l.contains("left pending-upgrade"));
  }

  /** Runs the command again; it must converge. Returns what it repaired. */
  private static String converge(KubernetesClient client, String kc, String[] command, String prefix, boolean twice) {
    Cli.Result r = Cli.run(command);
    assertThat(r.exit()).as(String.join(" ", command) + "\n" + r.out() + r.err()).isZero();
    List<StackRevision> revs = SimState.revisions(client);
    assertThat(revs).extracting(StackRevision::status).doesNotContain(Status.PENDING);
    assertThat(revs).filteredOn(x -> x.status() == Status.DEPLOYED).hasSize(1);
    for (var ns : client.namespaces().list().getItems()) {
      if (ns.getMetadata().getName().startsWith(prefix)) {
        List<String> records = SimState.helmRecords(client, ns.getMetadata().getName());
        assertThat(records).noneMatch(x -> x.contains("pending"));
        assertThat(records.stream().filter(x -> x.endsWith(" deployed")).count()).as(records.toString()).isLessThanOrEqualTo(1);
      }
    }
    Cli.Result st = Cli.run("status", "--kubeconfig", kc);
    assertThat(st.exit()).as(st.out() + st.err()).isZero();
    if (twice) {
      Cli.Result again = Cli.run(command);
      assertThat(again.exit()).isZero();
      assertThat(again.out()).contains("nothing changed");
    }
    List<String> repairs = r.out().lines().filter(l -> l.contains(" REPAIR ")).map(l -> l.substring(l.indexOf(' ') + 1)).toList();
    return r.out().lines().count() + " lines" + (repairs.isEmpty() ? "" : "; " + String.join("; ", repairs));
  }

  /**
   * Runs the CLI as its own JVM and kills it (SIGKILL) at the moment given; returns the last line it
   * printed. For a moment inside a Helm call, a watch on the release's Secrets, open before the CLI
   * starts and armed by the progress line, kills the CLI from the event that brings the pending
   * record: Helm keeps a release pending only while it applies (a few hundred ms without hooks), and
   * a poll (list, then kill) once landed after Helm had finished, so the kill proved nothing.
   */
  private static String killAfter(KubernetesClient client, String prefix, String[] args, Moment moment, Path tmp) throws Exception {
    // the killed JVM cannot delete what it extracted (helm-java's 94 MB native library, in the JVM's
    // temporary folder): that goes into the test's own folder, which JUnit removes
    java.nio.file.Path jvmTmp = java.nio.file.Files.createDirectories(tmp.resolve("jvm-tmp"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djava.io.tmpdir=" + jvmTmp, "-cp", System.getProperty("java.class.path"), "io.cnai.installer.cli.Main"));
    cmd.addAll(List.of(args));
    AtomicReference<Process> proc = new AtomicReference<>();
    AtomicBoolean armed = new AtomicBoolean();
    CountDownLatch killed = new CountDownLatch(1);
    Watch watch = null;
    if (moment.pendingRelease() != null) {
      String ns = prefix + moment.pendingRelease();
      watch = client.secrets().inNamespace(ns).withLabel("owner", "helm").withLabel("name", moment.pendingRelease())
          .watch(new Watcher<Secret>() {
            @Override
            public void eventReceived(Action action, Secret s) {
              if (armed.get() && pending(s)) {
                proc.get().destroyForcibly();
                killed.countDown();
              }
            }

            @Override
            public void onClose(WatcherException e) {}
          });
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    proc.set(p);
    String last = "(nothing printed)";
    StringBuilder all = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        last = line;
        all.append(line).append('\n');
        if (line.contains(moment.after())) {
          break;
        }
      }
      if (moment.delayMs() > 0) {
        Thread.sleep(moment.delayMs());
      }
      if (moment.pendingRelease() != null) {
        String ns = prefix + moment.pendingRelease();
        armed.set(true);
        // a record that went pending before the watch was armed
        if (client.secrets().inNamespace(ns).withLabel("owner", "helm").withLabel("name", moment.pendingRelease()).list().getItems()
            .stream().anyMatch(KillSimTest::pending)) {
          p.destroyForcibly();
          killed.countDown();
        }
        if (!killed.await(20, TimeUnit.SECONDS) && p.isAlive()) {
          last = "(Helm's pending record was not seen) " + last;
        }
      }
      boolean alive = p.isAlive() || killed.getCount() == 0;
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      if (!alive) {
        throw new AssertionError("the installer ended before the moment " + moment + "; it printed:\n" + all);
      }
    } finally {
      if (watch != null) {
        watch.close();
      }
    }
    return last.length() > 120 ? last.substring(0, 120) : last;
  }

  private static boolean pending(Secret s) {
    return s.getMetadata().getLabels() != null && s.getMetadata().getLabels().getOrDefault("status", "").startsWith("pending-");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
