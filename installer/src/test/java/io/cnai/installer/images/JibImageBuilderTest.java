package io.cnai.installer.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cnai.installer.cluster.sim.LocalProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image builder, without a daemon or a registry: an OCI archive whose manifest names the base
 * layer and one layer per {@code layers} entry, whose config says what the spec says, and whose
 * digest is the same when built again (from a cold cache too) and changes when a file changes.
 */
class JibImageBuilderTest {
  @TempDir Path dir;

  @Test
  void buildsAnOciArchiveWithBaseAndFileLayersReproducibly() throws Exception {
    assumeTrue(Files.isExecutable(LocalProvider.busybox()), "not run: needs a static busybox (apt-get install busybox-static)");
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(app.resolve("hello.sh"), "#!/bin/sh\necho hello from the app\n");
    app.resolve("hello.sh").toFile().setExecutable(true);
    Files.writeString(app.resolve("data.txt"), "some data\n");
    Path note = Files.writeString(dir.resolve("note.txt"), "a note\n");
    ImageSpec spec = ImageSpec.of(ImageRef.parse("hello:1.0"), ImageSpec.Base.busybox())
        .withLayers(List.of(new ImageSpec.Layer(app, "/app"), new ImageSpec.Layer(note, "/etc/note.txt")))
        .withEntrypoint(List.of("/app/hello.sh"))
        .withCmd(List.of("--loud"))
        .withEnv(Map.of("GREETING", "hi"))
        .withLabels(Map.of("org.opencontainers.image.title", "hello"));

    JibImageBuilder builder = new JibImageBuilder(dir.resolve("cache"));
    long t0 = System.nanoTime();
    BuiltImage first = builder.toTar(spec, dir.resolve("a.tar"));
    long t1 = System.nanoTime();
    BuiltImage cached = builder.toTar(spec, dir.resolve("b.tar"));
    long t2 = System.nanoTime();
    System.out.printf("[images] build cold %d ms, cached %d ms, %d bytes, %d layers%n",
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, first.bytes(), first.layers());

    assertThat(first.reference()).isEqualTo("docker.io/library/hello:1.0");
    assertThat(first.layers()).isEqualTo(3);
    assertThat(cached.digest()).isEqualTo(first.digest());
    assertThat(cached.configDigest()).isEqualTo(first.configDigest());
    assertThat(Files.readAllBytes(dir.resolve("b.tar"))).isEqualTo(Files.readAllBytes(dir.resolve("a.tar")));
    // a cold cache makes the same image
    BuiltImage cold = new JibImageBuilder(dir.resolve("cache2")).toTar(spec, dir.resolve("c.tar"));
    assertThat(cold.digest()).isEqualTo(first.digest());

    ImageArchives.Description d = ImageArchives.describe(dir.resolve("a.tar"));
    assertThat(d.manifestDigest()).isEqualTo(first.digest());
    // containerd's importer names the image by this annotation (without it: "hello:1.0")
    assertThat(tarEntry(dir.resolve("a.tar"), "index.json"))
        .contains("\"io.containerd.image.name\":\"docker.io/library/hello:1.0\"")
        .contains("\"org.opencontainers.image.ref.name\":\"1.0\"");
    assertThat(d.manifest().path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(d.manifest().path("config").path("digest").asText()).isEqualTo(first.configDigest());
    JsonNode cfg = d.config();
    assertThat(cfg.path("config").path("Entrypoint").toString()).isEqualTo("[\"/app/hello.sh\"]");
    assertThat(cfg.path("config").path("Cmd").toString()).isEqualTo("[\"--loud\"]");
    assertThat(cfg.path("config").path("Env").toString()).contains("GREETING=hi").contains("PATH=");
    assertThat(cfg.path("config").path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("hello");
    assertThat(cfg.path("created").asText()).startsWith("1970-01-01T00:00:00");
    assertThat(cfg.path("rootfs").path("diff_ids")).hasSize(3);

    // the layers, in order: the busybox root file system (links kept), the app, the note
    List<Map<String, TarArchiveEntry>> layers = layers(dir.resolve("a.tar"), d);
    assertThat(layers.get(0)).containsKey("bin/busybox");
    assertThat(layers.get(0).get("bin/sh").isSymbolicLink()).isTrue();
    assertThat(layers.get(0).get("bin/sh").getLinkName()).isEqualTo("busybox");
    assertThat(layers.get(1)).containsKeys("app/hello.sh", "app/data.txt");
    assertThat(layers.get(1).get("app/hello.sh").getMode() & 0777).isEqualTo(0755);
    assertThat(layers.get(1).get("app/data.txt").getMode() & 0777).isEqualTo(0644);
    assertThat(layers.get(2)).containsKey("etc/note.txt");

    // a changed file: another layer, another digest; the base layer is the same
    Files.writeString(app.resolve("data.txt"), "other data\n");
    BuiltImage changed = builder.toTar(spec, dir.resolve("d.tar"));
    assertThat(changed.digest()).isNotEqualTo(first.digest());
    JsonNode changedManifest = ImageArchives.describe(dir.resolve("d.tar")).manifest();
    assertThat(changedManifest.path("layers").path(0).path("digest")).isEqualTo(d.manifest().path("layers").path(0).path("digest"));
    assertThat(changedManifest.path("layers").path(1).path("digest")).isNotEqualTo(d.manifest().path("layers").path(1).path("digest"));
  }

  @Test
  void aDirectoryLaidAtTheRootGivesItsContents() throws Exception {
    assumeTrue(Files.isExecutable(LocalProvider.busybox()), "not run: needs a static busybox (apt-get install busybox-static)");
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("manager"), "#!/bin/sh\n");
    root.resolve("manager").toFile().setExecutable(true);
    Files.createDirectories(root.resolve("etc/app"));
    Files.writeString(root.resolve("etc/app/config.yaml"), "a: 1\n");
    ImageSpec spec = ImageSpec.of(ImageRef.parse("cnai.local/rooted:1"), ImageSpec.Base.busybox())
        .withLayers(List.of(new ImageSpec.Layer(root, "/")));
    BuiltImage built = new JibImageBuilder(dir.resolve("cache")).toTar(spec, dir.resolve("r.tar"));
    ImageArchives.Description d = ImageArchives.describe(dir.resolve("r.tar"));
    Map<String, TarArchiveEntry> layer = layers(dir.resolve("r.tar"), d).get(1);
    assertThat(built.layers()).isEqualTo(2);
    assertThat(layer).containsKeys("manager", "etc/app/config.yaml").doesNotContainKey("root/manager");
    assertThat(layer.get("manager").getMode() & 0777).isEqualTo(0755);
  }

  @Test
  void aRootFileSystemTarIsTheBaseLayerAsItIs() throws Exception {
    Path rootfs = dir.resolve("rootfs.tar");
    try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(rootfs))) {
      TarArchiveEntry e = new TarArchiveEntry("etc/os-release");
      byte[] b = "ID=fixture\n".getBytes();
      e.setSize(b.length);
      out.putArchiveEntry(e);
      out.write(b);
      out.closeArchiveEntry();
    }
    ImageSpec spec = ImageSpec.of(ImageRef.parse("cnai.local/fixture:1"), ImageSpec.Base.tar(rootfs))
        .withCmd(List.of("/bin/true"));
    BuiltImage built = new JibImageBuilder(dir.resolve("cache")).toTar(spec, dir.resolve("f.tar"));
    ImageArchives.Description d = ImageArchives.describe(dir.resolve("f.tar"));
    assertThat(built.layers()).isEqualTo(1);
    assertThat(layers(dir.resolve("f.tar"), d).get(0)).containsOnlyKeys("etc/os-release");
    assertThat(d.config().path("rootfs").path("diff_ids").path(0).asText()).isEqualTo(BaseImages.sha256(rootfs));
  }

  private static String tarEntry(Path archive, String name) throws IOException {
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.getName().equals(name)) {
          return new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError("no " + name + " in " + archive);
  }

  /** Each layer's entries by name, in the manifest's order. */
  private static List<Map<String, TarArchiveEntry>> layers(Path archive, ImageArchives.Description d) throws IOException {
    List<Map<String, TarArchiveEntry>> out = new ArrayList<>();
    for (JsonNode l : d.manifest().path("layers")) {
      String blob = ImageArchives.blob(l.path("digest").asText());
      try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
          if (e.getName().equals(blob)) {
            Map<String, TarArchiveEntry> entries = new java.util.LinkedHashMap<>();
            InputStream layer = l.path("mediaType").asText().endsWith("gzip") ? new GZIPInputStream(tar) : tar;
            TarArchiveInputStream inner = new TarArchiveInputStream(layer);
            TarArchiveEntry x;
            while ((x = inner.getNextEntry()) != null) {
              String n = x.getName().startsWith("./") ? x.getName().substring(2) : x.getName();
              entries.put(n.startsWith("/") ? n.substring(1) : n.replaceAll("/$", ""), x);
            }
            out.add(entries);
          }
        }
      }
    }
    return out;
  }
}
