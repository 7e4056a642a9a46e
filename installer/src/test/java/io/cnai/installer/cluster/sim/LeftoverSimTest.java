package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.testkit.SimClusterTest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A 'cnai cluster create' killed half-way leaves processes behind; 'delete' finds and stops them. */
@SimClusterTest
class LeftoverSimTest {
  static List<ProcessHandle> processesOf(Path root) {
    String marker = root.toAbsolutePath() + File.separator;
    return ProcessHandle.allProcesses()
        .filter(h -> !ProcessRecord.gone(h))
        .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
        .toList();
  }

  @Test
  void deleteCleansUpAfterACreateThatWasKilled() throws Exception {
    String name = "killed-" + ProcessHandle.current().pid();
    SimProvider provider = SimProvider.fromEnvironment();
    SimLayout layout = provider.layout(name);
    Process create =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "io.cnai.installer.cli.Main",
                "cluster", "create", "--provider", "sim", "--name", name, "--nodes", "1", "--gpu-nodes", "0")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      // Kill cnai as soon as the API server has been started: etcd and the API server run on.
      Path apiserverPid = layout.pid(SimComponent.APISERVER);
      long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!Files.exists(apiserverPid) && create.isAlive() && System.nanoTime() < end) {
        try {
          create.onExit().get(50, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillRunning) {
          // look for the pid file again
        }
      }
    } finally {
      create.destroyForcibly();
      create.waitFor(30, TimeUnit.SECONDS);
    }
    try {
      assertThat(layout.pid(SimComponent.APISERVER)).exists();
      assertThat(processesOf(layout.root())).as("processes left behind by the killed create").isNotEmpty();
      assertThat(provider.list()).anySatisfy(s -> assertThat(s.name()).isEqualTo(name));

      assertThat(provider.delete(name)).isTrue();
      assertThat(processesOf(layout.root())).isEmpty();
      assertThat(layout.root()).doesNotExist();
    } finally {
      provider.delete(name);
    }
  }
}
