package io.cnai.installer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The free-disk check before 'cnai up' builds and installs the starter stack, on this machine's real file systems. */
class DiskSpaceTest {
  @TempDir Path dir;

  private Path lock(String folder, String text) throws Exception {
    Path f = dir.resolve("root").resolve(folder).resolve("requirements.txt");
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  private static String sha16(Path f) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))).substring(0, 16);
  }

  @Test
  void aColdCacheNeedsTheEnvironmentsAndAWarmOneOnlyTheCluster() throws Exception {
    Path samples = lock("sample-pipelines", "torch==2.9.0 --hash=sha256:aa\n");
    Path jupyter = lock("education/jupyterlab", "jupyterlab==4.5.0 --hash=sha256:bb\n");
    Path cache = dir.resolve("cache");
    Path home = dir.resolve("home");

    List<DiskSpace.Need> cold = DiskSpace.starter(dir.resolve("root"), cache, home);
    assertThat(cold).extracting(DiskSpace.Need::bytes).containsExactly(DiskSpace.SAMPLES_ENV, DiskSpace.JUPYTER_ENV, DiskSpace.CLUSTER);
    assertThat(cold.get(2).where()).isEqualTo(home.resolve("clusters"));

    // environments of other lock files (an older checkout) do not count
    Files.createDirectories(cache.resolve("cnai/venv/py311-0123456789abcdef"));
    Files.createDirectories(cache.resolve("cnai/venv/jupyterlab-py311-" + sha16(samples)));
    assertThat(DiskSpace.starter(dir.resolve("root"), cache, home)).hasSize(3);

    Files.createDirectories(cache.resolve("cnai/venv/py311-" + sha16(samples)));
    Files.createDirectories(cache.resolve("cnai/venv/jupyterlab-py311-" + sha16(jupyter)));
    assertThat(DiskSpace.starter(dir.resolve("root"), cache, home)).extracting(DiskSpace.Need::bytes).containsExactly(DiskSpace.CLUSTER);
  }

  @Test
  void aCacheUnderTmpIsRefusedForTheJupyterLabImage() {
    // JupyterLab's pods mount their own /tmp, which hides an environment the image keeps under /tmp
    assertThat(DiskSpace.misplacedCache(Path.of("/tmp/cold/home/.cache"))).contains("/tmp/cold/home/.cache").contains("lies under /tmp");
    assertThat(DiskSpace.misplacedCache(Path.of("/tmp/../tmp/x"))).isNotNull();
    assertThat(DiskSpace.misplacedCache(Path.of("/root/.cache"))).isNull();
    assertThat(DiskSpace.misplacedCache(Path.of("/tmpfs/cache"))).isNull();
  }

  @Test
  void needsAddUpPerFileSystemAndTheShortfallSaysWhatAndWhere() throws Exception {
    long free = Files.getFileStore(dir).getUsableSpace();
    Path cache = dir.resolve("not/made/yet/venv");
    Path home = dir.resolve("home/clusters");
    // each fits alone, together they do not: both are on the same file system
    long half = (free - DiskSpace.MARGIN) / 2 + 1_000_000_000L;
    List<String> msgs = DiskSpace.shortfalls(List.of(new DiskSpace.Need("the environments", cache, half), new DiskSpace.Need("the cluster", home, half)));
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0)).contains("free on the file system of " + dir).contains("the environments under " + cache)
        .contains("the cluster under " + home).contains(DiskSpace.gb(half * 2 + DiskSpace.MARGIN) + " needed");

    assertThat(DiskSpace.shortfalls(List.of(new DiskSpace.Need("the cluster", home, 1_000_000L)))).isEmpty();
  }

  @Test
  void skipDiskCheckIsRefusedOutsideTheStarterStack() {
    Cli.Result r = Cli.run("up", "--profile", "kind", "--skip-disk-check");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--skip-disk-check concerns the starter stack only");
  }
}
