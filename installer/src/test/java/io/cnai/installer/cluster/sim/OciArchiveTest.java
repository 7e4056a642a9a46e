package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI archive is a tar that GNU tar reads, and every blob is stored under its digest. */
class OciArchiveTest {
  @Test
  void blobsAreNamedByTheirDigestAndTarReadsTheArchive(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Commands.which("tar").isPresent(), "not run: no tar on this machine");
    Path fakeBusybox = tmp.resolve("busybox");
    Files.writeString(fakeBusybox, "#!/bin/sh\necho not really busybox\n");
    Path out = tmp.resolve("img.tar");
    OciArchive.write(out, OciArchive.busyboxRootfs(fakeBusybox, List.of("sh", "sleep", "busybox")),
        List.of(new OciArchive.Image("cnai.local/a:1", List.of(), List.of("/bin/sh")),
            new OciArchive.Image("cnai.local/b:2", List.of("/bin/sleep", "1"), List.of())),
        "amd64");
    Path dir = Files.createDirectories(tmp.resolve("x"));
    Commands.Result r = Commands.run(List.of("tar", "-xf", out.toString(), "-C", dir.toString()), 30);
    assertThat(r.ok()).as(r.output()).isTrue();
    String index = Files.readString(dir.resolve("index.json"));
    assertThat(index).contains("\"io.containerd.image.name\":\"cnai.local/a:1\"", "\"io.containerd.image.name\":\"cnai.local/b:2\"");
    List<Path> blobs;
    try (Stream<Path> s = Files.list(dir.resolve("blobs/sha256"))) {
      blobs = s.toList();
    }
    assertThat(blobs).hasSize(5); // one layer, two configs, two manifests
    for (Path b : blobs) {
      assertThat(OciArchive.sha256(Files.readAllBytes(b))).isEqualTo("sha256:" + b.getFileName());
    }
    // The layer is a tar too, with the links to busybox.
    Path layer = blobs.stream().filter(b -> {
      try {
        return Files.size(b) % 512 == 0 && Files.size(b) > 1024;
      } catch (java.io.IOException e) {
        return false;
      }
    }).findFirst().orElseThrow();
    Commands.Result list = Commands.run(List.of("tar", "-tvf", layer.toString()), 30);
    assertThat(list.ok()).as(list.output()).isTrue();
    assertThat(list.output()).contains("bin/sh -> busybox", "bin/sleep -> busybox", "bin/busybox", "etc/passwd");
    assertThat(new String(Files.readAllBytes(out), 0, 10, StandardCharsets.UTF_8)).startsWith("oci-layout");
  }
}
