package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.installer.charts.ChartCache;
import io.cnai.installer.charts.ChartCoordinates;
import io.cnai.installer.charts.ChartRepositories;
import io.cnai.installer.charts.LocalChartRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorsTest {
  @TempDir Path tmp;

  @Test
  void chartsComeFromTheMirrorWithTheirDigestsChecked() throws Exception {
    try (LocalChartRepository mirror = LocalChartRepository.start()) {
      String digest = mirror.publishFixture("certs").digest();
      Path file = tmp.resolve("mirrors.yaml");
      Files.writeString(file, """
          apiVersion: cnai.io/v1alpha1
          kind: Mirrors
          mirrors:
            - upstream: https://charts.upstream.invalid/stable/
              mirror: %s
          """.formatted(mirror.url()));
      Mirrors m = Mirrors.load(file);
      assertThat(m.resolve("https://charts.upstream.invalid/stable")).isEqualTo(mirror.url().replaceAll("/$", ""));
      assertThat(m.resolve("https://other.invalid")).isEqualTo("https://other.invalid");
      ChartCache cache = new ChartCache(tmp.resolve("cache"), m.wrap(ChartRepositories.standard()));
      var fetched = cache.fetch(new ChartCoordinates("https://charts.upstream.invalid/stable", "certs", "1.4.0"), digest);
      assertThat(fetched.digest()).isEqualTo(digest);
      assertThat(mirror.requests()).isPositive();
      assertThatThrownBy(() -> new ChartCache(tmp.resolve("cache2"), m.wrap(ChartRepositories.standard()))
              .fetch(new ChartCoordinates("https://charts.upstream.invalid/stable", "certs", "1.4.0"), "sha256:" + "0".repeat(64)))
          .isInstanceOf(CnaiException.class)
          .extracting(e -> ((CnaiException) e).exitCode()).isEqualTo(3);
    }
  }

  @Test
  void malformedMirrorFilesAreBadInputWithTheirPlace() throws Exception {
    Path file = tmp.resolve("m.yaml");
    Files.writeString(file, "apiVersion: cnai.io/v1alpha1\nkind: Mirrors\nmirrors:\n  - upstream: ftp://x\n    mirror: http://y\n");
    assertThatThrownBy(() -> Mirrors.load(file)).isInstanceOf(CnaiException.class).hasMessageContaining("ftp://x")
        .extracting(e -> ((CnaiException) e).exitCode()).isEqualTo(2);
  }
}
