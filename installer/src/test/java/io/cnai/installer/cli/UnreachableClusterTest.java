package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A kubeconfig that points at a port where nothing listens: every command that talks to the
 * cluster says so at once (exit 1, the address, what to check), not after the client's retries,
 * and not as "a bug in cnai".
 */
class UnreachableClusterTest {
  @TempDir Path tmp;

  private Path kubeconfig() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free now, closed when the test runs
    }
    Path kc = tmp.resolve("down.kubeconfig");
    Files.writeString(kc, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: down
            cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
        users:
          - name: u
            user: {token: t}
        contexts:
          - name: down
            context: {cluster: down, user: u}
        current-context: down
        """.formatted(port));
    return kc;
  }

  @ParameterizedTest
  @ValueSource(strings = {"status", "history", "uninstall", "rollback", "install", "upgrade", "up"})
  void saysTheClusterCannotBeReachedAtOnce(String verb) throws IOException {
    Path kc = kubeconfig();
    String[] args = switch (verb) {
      case "install", "upgrade" -> new String[] {verb, "--profile", "kind", "--kubeconfig", kc.toString()};
      case "up" -> new String[] {verb, "--provider", "existing", "--profile", "kind", "--kubeconfig", kc.toString()};
      default -> new String[] {verb, "--kubeconfig", kc.toString()};
    };
    long t0 = System.nanoTime();
    Cli.Result r = Cli.run(args);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach the Kubernetes API server https://127.0.0.1:", "Connection refused",
        "check that the cluster runs").doesNotContain("bug in cnai");
    assertThat(r.err().lines().filter(l -> l.startsWith("error:")).count()).as("printed once").isEqualTo(1);
    assertThat(ms).as("no retries before saying so").isLessThan(15_000);
  }
}
