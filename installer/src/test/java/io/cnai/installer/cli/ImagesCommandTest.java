package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnai.installer.charts.LocalOciRegistry;
import io.cnai.installer.cluster.sim.LocalProvider;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cnai images build|push|list': what they print and their exit codes. */
class ImagesCommandTest {
  @TempDir Path dir;

  private Path imageFile(String name) throws Exception {
    Files.writeString(dir.resolve("hello.txt"), "hello from cnai\n");
    return Files.writeString(dir.resolve("image.yaml"), """
        apiVersion: cnai.io/v1alpha1
        kind: Image
        name: %s
        base: busybox
        cmd: [cat, /hello.txt]
        env: {GREETING: hello}
        layers:
          - from: hello.txt
            to: /hello.txt
        """.formatted(name));
  }

  @Test
  void buildPushAndList() throws Exception {
    assumeTrue(Files.isExecutable(LocalProvider.busybox()), "not run: needs a static busybox (apt-get install busybox-static)");
    Path file = imageFile("docker.io/library/hello:1.0");
    Cli.Result built = Cli.run("images", "build", file.toString(), "--tar", dir.resolve("hello.tar").toString());
    assertThat(built.exit()).as(built.err()).isZero();
    assertThat(built.out()).contains("Built docker.io/library/hello:1.0").contains("digest sha256:").contains("2 layers");
    assertThat(dir.resolve("hello.tar")).isNotEmptyFile();
    try (LocalOciRegistry registry = LocalOciRegistry.start()) {
      String url = "http://" + registry.host();
      Cli.Result pushed = Cli.run("images", "push", file.toString(), "--registry", url);
      assertThat(pushed.exit()).as(pushed.err()).isZero();
      assertThat(pushed.out()).contains("Pushed " + registry.host() + "/docker.io/library/hello:1.0");
      Cli.Result list = Cli.run("images", "list", "--registry", url);
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out()).contains("REPOSITORY").containsPattern("docker.io/library/hello\\s+1.0");
      Cli.Result json = Cli.run("images", "list", "--registry", url, "-o", "json");
      assertThat(json.out()).contains("\"repository\" : \"docker.io/library/hello\"").contains("\"1.0\"");
    }
  }

  @Test
  void badInputIsExit2WithTheFilesLine() throws Exception {
    Path file = imageFile("docker.io/library/Hello:1.0");
    Cli.Result r = Cli.run("images", "build", file.toString(), "--tar", dir.resolve("x.tar").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(file + ":3").contains("invalid image reference");

    Files.writeString(file, Files.readString(file).replace("name: docker.io/library/Hello:1.0", "name: hello:1\nentrypont: [x]"));
    r = Cli.run("images", "build", file.toString(), "--tar", dir.resolve("x.tar").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(file + ":4").contains("unknown field 'entrypont'").contains("entrypoint");

    Files.writeString(file, Files.readString(file).replace("entrypont: [x]\n", "").replace("from: hello.txt", "from: missing.txt"));
    r = Cli.run("images", "build", file.toString(), "--tar", dir.resolve("x.tar").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(file + ":8:").contains("missing.txt does not exist");

    r = Cli.run("images", "list", "--registry", "ftp://somewhere");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("invalid registry");
  }

  @Test
  void anUnreachableRegistryIsExit1WithWhatToDo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Cli.Result r = Cli.run("images", "list", "--registry", "http://127.0.0.1:" + port);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach registry http://127.0.0.1:" + port).contains("hint:");
    Path file = imageFile("hello:1.0");
    r = Cli.run("images", "push", file.toString(), "--registry", "http://127.0.0.1:" + port);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach registry");
  }
}
