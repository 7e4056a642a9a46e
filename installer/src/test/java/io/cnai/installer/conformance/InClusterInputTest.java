package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cnai conformance run --in-cluster' refuses what cannot work with exit 2 before it builds, pushes
 * or applies anything. The kubeconfig points at an address where nothing listens: any attempt to
 * reach the cluster would end with exit 1, not 2.
 */
class InClusterInputTest {
  @TempDir Path dir;

  private Path kubeconfig() throws Exception {
    Path k = dir.resolve("kubeconfig");
    Files.writeString(k, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "https://127.0.0.1:1"}
        contexts:
        - name: c
          context: {cluster: c, user: u}
        current-context: c
        users:
        - name: u
          user: {token: t}
        """);
    return k;
  }

  @Test
  void withoutARegistryTheNodesPullFromItExitsTwoAndAppliesNothing() throws Exception {
    Cli.Result r = Cli.run("conformance", "run", "--in-cluster", "--kubeconfig", kubeconfig().toString(),
        "--output-dir", dir.resolve("out").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--in-cluster needs a registry the cluster's nodes pull from").contains("hint:")
        .contains("--registry").contains("--local-registry");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aLoopbackRegistryIsRefused() throws Exception {
    for (String reg : new String[] {"http://127.0.0.1:5000", "http://localhost:5000", "localhost"}) {
      Cli.Result r = Cli.run("conformance", "run", "--in-cluster", "--registry", reg, "--kubeconfig", kubeconfig().toString(),
          "--output-dir", dir.resolve("out").toString());
      assertThat(r.exit()).as(reg + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("loopback").contains("cannot reach it").contains("hint:").contains("--image");
    }
  }

  @Test
  void aLoopbackRegistryNamedByTheImageIsTakenAsTheNodesMirror() throws Exception {
    // kind's local registry: the nodes map localhost:5000 to the registry's container; the run gets
    // past the input checks and fails reaching the API server (exit 1), not as bad input
    Cli.Result r = Cli.run("conformance", "run", "--in-cluster", "--registry", "http://localhost:5000",
        "--image", "localhost:5000/cnai-conformance:ci", "--kubeconfig", kubeconfig().toString(),
        "--output-dir", dir.resolve("out").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("loopback");
  }

  @Test
  void registryOrImageWithoutInClusterAndBadValuesExitTwo() throws Exception {
    Cli.Result r = Cli.run("conformance", "run", "--registry", "http://10.1.2.3:5000", "--kubeconfig", kubeconfig().toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--registry is for --in-cluster runs only");
    r = Cli.run("conformance", "run", "--image", "cnai.local/x:1", "--kubeconfig", kubeconfig().toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--image is for --in-cluster runs only");
    r = Cli.run("conformance", "run", "--in-cluster", "--registry", "not a url", "--kubeconfig", kubeconfig().toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("invalid registry");
    r = Cli.run("conformance", "run", "--in-cluster", "--registry", "http://10.1.2.3:5000", "--image", "UPPER:case:bad",
        "--kubeconfig", kubeconfig().toString());
    assertThat(r.exit()).isEqualTo(2);
    r = Cli.run("conformance", "run", "--in-cluster", "--timeout", "0", "--kubeconfig", kubeconfig().toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--timeout");
    r = Cli.run("conformance", "run", "--in-cluster", "--registry", "http://10.1.2.3:5000", "--tags", "@MUST and or",
        "--kubeconfig", kubeconfig().toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad tag expression");
  }

  @Test
  void theRegistryOfALocalClusterIsFoundFromItsFolderOrFromACopyOfItsKubeconfig() throws Exception {
    Path home = dir.resolve("home");
    Path cluster = Files.createDirectories(home.resolve("clusters/dev"));
    Files.writeString(cluster.resolve("cluster.properties"), "provider=local\nregistry.local=http://10.201.0.1:5000\n");
    String kc = Files.readString(kubeconfig()).replace("https://127.0.0.1:1", "https://10.201.0.1:6443");
    Files.writeString(cluster.resolve("kubeconfig"), kc);
    io.cnai.installer.images.ImageRef image = io.cnai.installer.images.ImageRef.parse(InClusterConformance.DEFAULT_IMAGE + ":1");

    assertThat(InClusterConformance.registry(null, io.cnai.installer.kube.ClusterAccess.of(cluster.resolve("kubeconfig"), null),
        image, dir.resolve("elsewhere")).toString()).isEqualTo("http://10.201.0.1:5000");
    Path copy = Files.writeString(dir.resolve("copy.kubeconfig"), kc);
    assertThat(InClusterConformance.registry(null, io.cnai.installer.kube.ClusterAccess.of(copy, null), image, home).toString())
        .isEqualTo("http://10.201.0.1:5000");
    // another cluster's kubeconfig finds nothing: exit 2 with what to pass
    Path other = Files.writeString(dir.resolve("other.kubeconfig"), kc.replace("10.201.0.1:6443", "10.201.9.1:6443"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InClusterConformance.registry(null,
            io.cnai.installer.kube.ClusterAccess.of(other, null), image, home))
        .isInstanceOfSatisfying(io.cnai.core.CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("--registry");
  }

  @Test
  void helpNamesTheFlags() {
    Cli.Result r = Cli.run("conformance", "run", "--help");
    assertThat(r.out()).contains("--in-cluster").contains("--registry").contains("--image").contains("--timeout");
  }
}
