package io.cnai.installer.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnai.core.CnaiException;
import io.cnai.installer.charts.LocalOciRegistry;
import io.cnai.installer.cluster.sim.LocalProvider;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push to a real registry (the CNCF distribution registry, plain HTTP on loopback) in the mirror
 * layout, list it through the registry API, pull the manifest back; an unreachable registry is a
 * failure that says what to do. Not run without the registry binary.
 */
class RegistryPushTest {
  @TempDir Path dir;

  @Test
  void pushesInTheMirrorLayoutAndListsIt() throws Exception {
    assumeTrue(Files.isExecutable(LocalProvider.busybox()), "not run: needs a static busybox (apt-get install busybox-static)");
    Path greeting = Files.writeString(dir.resolve("greeting"), "hello through the registry\n");
    ImageSpec spec = ImageSpec.of(ImageRef.parse("docker.io/library/hello:1.0"), ImageSpec.Base.busybox())
        .withLayers(List.of(new ImageSpec.Layer(greeting, "/greeting")))
        .withCmd(List.of("cat", "/greeting"));
    try (LocalOciRegistry registry = LocalOciRegistry.start()) {
      Registry r = Registry.parse("http://" + registry.host());
      assertThat(r.repositories()).isEmpty();
      JibImageBuilder builder = new JibImageBuilder(dir.resolve("cache"));
      ImageRef target = spec.name().inMirror(registry.host());
      BuiltImage pushed = builder.push(spec, r, target);
      BuiltImage inTar = builder.toTar(spec, dir.resolve("hello.tar"));

      assertThat(pushed.reference()).isEqualTo(registry.host() + "/docker.io/library/hello:1.0");
      assertThat(pushed.digest()).as("the same image, pushed or written").isEqualTo(inTar.digest());
      assertThat(pushed.layers()).isEqualTo(2);
      assertThat(pushed.bytes()).as("config and layers, pushed or written").isEqualTo(inTar.bytes()).isPositive();
      assertThat(r.repositories()).containsExactly("docker.io/library/hello");
      assertThat(r.tags("docker.io/library/hello")).containsExactly("1.0");
      assertThat(r.tags("docker.io/library/absent")).isEmpty();
      assertThat(r.manifest("docker.io/library/hello", "1.0").path("config").path("digest").asText())
          .isEqualTo(pushed.configDigest());

      // a second tag of the same image: nothing new to upload, same digest
      BuiltImage again = builder.push(spec.withName(ImageRef.parse("docker.io/library/hello:1.1")), r,
          ImageRef.parse("docker.io/library/hello:1.1").inMirror(registry.host()));
      assertThat(again.digest()).isEqualTo(pushed.digest());
      assertThat(r.tags("docker.io/library/hello")).containsExactly("1.0", "1.1");
    }
  }

  @Test
  void anUnreachableRegistryIsAFailureWithWhatToDo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Registry r = Registry.parse("http://127.0.0.1:" + port);
    assertThatThrownBy(r::repositories).isInstanceOfSatisfying(CnaiException.class, e -> {
      assertThat(e.exitCode()).isEqualTo(1);
      assertThat(e.problem()).contains("cannot reach registry http://127.0.0.1:" + port);
      assertThat(e.hint()).contains("--local-registry");
    });
  }

  @Test
  void badReferencesAndRegistriesAreBadInput() {
    assertThat(ImageRef.parse("busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
    assertThat(ImageRef.parse("ghcr.io/org/app:v1").inMirror("10.0.0.5:5000").toString())
        .isEqualTo("10.0.0.5:5000/ghcr.io/org/app:v1");
    assertThat(ImageRef.parse("localhost:5000/x").registry()).isEqualTo("localhost:5000");
    for (String bad : List.of("", "UPPER/case", "a@sha256:00", "a:b:c", "x/:t")) {
      assertThatThrownBy(() -> ImageRef.parse(bad)).as(bad).isInstanceOfSatisfying(CnaiException.class,
          e -> assertThat(e.exitCode()).isEqualTo(2));
    }
    assertThat(Registry.parse("http://127.0.0.1:5000").plainHttp()).isTrue();
    assertThat(Registry.parse("registry.example:443").plainHttp()).isFalse();
    assertThatThrownBy(() -> Registry.parse("ftp://x")).isInstanceOfSatisfying(CnaiException.class,
        e -> assertThat(e.exitCode()).isEqualTo(2));
  }
}
