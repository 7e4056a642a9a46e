package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cli.Main;
import io.cnai.installer.kube.ClusterFacts;
import io.cnai.installer.kube.LiveFacts;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cnai cluster create' in a JVM of its own, as a user runs it: it returns, the cluster keeps
 * running (next to the shared test cluster), and 'cnai cluster delete' from another process finds
 * and stops everything by the pids it recorded.
 */
@SimClusterTest
class CliSimTest {
  static String run(int expectedCode, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as("exit code of cnai %s; stderr: %s", String.join(" ", args), err).isEqualTo(expectedCode);
    return out.toString();
  }

  @Test
  void createInItsOwnJvmThenListAndDeleteFromAnother(@TempDir Path tmp) throws Exception {
    String name = "cli-" + ProcessHandle.current().pid();
    Path kubeconfig = tmp.resolve("cli.kubeconfig");
    SimProvider provider = SimProvider.fromEnvironment();
    try {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          "io.cnai.installer.cli.Main",
          "cluster", "create", "--provider", "sim", "--name", name,
          "--nodes", "2", "--gpu-nodes", "1", "--gpus-per-node", "4", "--gpu-product", "NVIDIA-L4",
          "--kubeconfig", kubeconfig.toString()));
      Process create = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(create.waitFor(300, TimeUnit.SECONDS)).as("cnai cluster create returned").isTrue();
      assertThat(create.exitValue()).as(out).isZero();
      assertThat(out)
          .contains("export KUBECONFIG=" + kubeconfig)
          .contains("kubectl get nodes")
          .contains("Kubernetes " + SimVersions.KUBERNETES);

      // The JVM that made the cluster is gone; the cluster runs on.
      SimCluster cluster = provider.open(name).orElseThrow();
      assertThat(cluster.health()).allSatisfy((c, up) -> assertThat(up).as(c.id()).isTrue());
      try (KubernetesClient client = SimProvider.client(cluster.cluster())) {
        ClusterFacts facts = LiveFacts.cluster(client);
        assertThat(facts.readyNodes()).isEqualTo(2);
        assertThat(facts.gpusByProduct()).isEqualTo(Map.of("NVIDIA-L4", 4));
      }
      assertThat(run(0, "cluster", "list")).containsPattern(name + "\\s+sim\\s+running");
      assertThat(run(0, "cluster", "list", "--output", "json"))
          .contains("\"name\" : \"" + name + "\"").contains("\"state\" : \"running\"");

      // A part that dies is not hidden: list shows the cluster degraded and names the part.
      cluster.kill(SimComponent.SCHEDULER);
      assertThat(cluster.running(SimComponent.SCHEDULER)).isFalse();
      assertThat(run(0, "cluster", "list")).containsPattern(name + "\\s+sim\\s+degraded.*down: kube-scheduler");

      List<ProcessRecord> records = new ArrayList<>();
      for (SimComponent c : SimComponent.values()) {
        records.add(ProcessRecord.read(cluster.layout().pid(c)).orElseThrow());
      }
      assertThat(run(0, "cluster", "delete", "--provider", "sim", "--name", name)).contains("Deleted sim cluster '" + name + "'");
      assertThat(records).allSatisfy(r -> assertThat(r.live()).as("pid %d", r.pid()).isEmpty());
      assertThat(cluster.layout().root()).doesNotExist();
      assertThat(kubeconfig).as("the kubeconfig cnai wrote goes with the cluster").doesNotExist();
      assertThat(run(0, "cluster", "delete", "--provider", "sim", "--name", name)).contains("nothing to delete");
      assertThat(Files.exists(kubeconfig)).isFalse();
    } finally {
      provider.delete(name);
    }
  }
}
