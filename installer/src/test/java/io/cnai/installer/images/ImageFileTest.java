package io.cnai.installer.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files are read strictly: what they say, and every mistake with its line. */
class ImageFileTest {
  @TempDir Path dir;

  private Path write(String body) throws Exception {
    return Files.writeString(dir.resolve("image.yaml"), "apiVersion: cnai.io/v1alpha1\nkind: Image\n" + body);
  }

  @Test
  void readsEveryField() throws Exception {
    Files.writeString(dir.resolve("rootfs.tar"), "");
    Files.createDirectories(dir.resolve("app"));
    ImageSpec s = ImageFile.load(write("""
        name: ghcr.io/org/tool:2.1
        base: rootfs.tar
        entrypoint: [/app/run]
        cmd: [--port, "8080"]
        env: {A_B: c, PATH: /app:/bin}
        labels: {org.opencontainers.image.source: https://example.org/tool}
        workingDir: /app
        user: "65534"
        layers:
          - from: app
            to: /app
        """));
    assertThat(s.name().toString()).isEqualTo("ghcr.io/org/tool:2.1");
    assertThat(s.base()).isEqualTo(ImageSpec.Base.tar(dir.resolve("rootfs.tar")));
    assertThat(s.entrypoint()).containsExactly("/app/run");
    assertThat(s.cmd()).containsExactly("--port", "8080");
    assertThat(s.env()).containsEntry("A_B", "c").containsEntry("PATH", "/app:/bin");
    assertThat(s.labels()).containsKey("org.opencontainers.image.source");
    assertThat(s.workingDir()).isEqualTo("/app");
    assertThat(s.user()).isEqualTo("65534");
    assertThat(s.layers()).containsExactly(new ImageSpec.Layer(dir.resolve("app"), "/app"));
  }

  @Test
  void theBaseIsBusyboxUnlessSaid() throws Exception {
    assertThat(ImageFile.load(write("name: hello\n")).base()).isEqualTo(ImageSpec.Base.busybox());
  }

  @Test
  void mistakesAreBadInputWithTheirLine() throws Exception {
    record Case(String body, int line, String says) {}
    for (Case c : List.of(
        new Case("name: hello\nbase: missing.tar\n", 4, "missing.tar is not a file"),
        new Case("name: hello\nenv: {1X: y}\n", 4, "'1X' is not a variable name"),
        new Case("name: hello\nworkingDir: app\n", 4, "absolute path"),
        new Case("name: hello\nlayers:\n  - from: .\n    to: relative\n", 6, "absolute path"),
        new Case("name: hello\nlayers:\n  - from: .\n    to: /x\n    mode: 755\n", 7, "unknown field 'mode'"),
        new Case("name: hello\ncmd: echo\n", 4, "cmd"),
        new Case("name: Hello\n", 3, "invalid image reference"))) {
      Path f = write(c.body());
      assertThatThrownBy(() -> ImageFile.load(f)).as(c.body()).isInstanceOfSatisfying(CnaiException.class, e -> {
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.location()).as(c.body()).isNotNull();
        assertThat(e.location().line()).as(c.body()).isEqualTo(c.line());
        assertThat(e.getMessage()).as(c.body()).contains(c.says());
      });
    }
    Path notImage = Files.writeString(dir.resolve("other.yaml"), "apiVersion: cnai.io/v1alpha1\nkind: Mirrors\n");
    assertThatThrownBy(() -> ImageFile.load(notImage)).isInstanceOfSatisfying(CnaiException.class,
        e -> assertThat(e.getMessage()).contains("is not an image file"));
    assertThatThrownBy(() -> ImageFile.load(dir.resolve("absent.yaml"))).isInstanceOfSatisfying(CnaiException.class,
        e -> assertThat(e.exitCode()).isEqualTo(2));
    assertThatThrownBy(() -> ImageRef.parse("localhost:5000/x:1").inMirror("10.0.0.5:5000"))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.hint()).contains("--as 10.0.0.5:5000/x:1"));
  }
}
