package io.cnai.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest source may name a file beside its lockfile ({@code file:PATH}), and only there. */
class RelativeManifestUrlTest {
  private static String lockfile(String url) {
    return """
        apiVersion: distro.cnai.io/v1alpha1
        kind: Distribution
        metadata:
          name: starter
          version: "2026.11-starter"
        spec:
          components:
            - name: app
              namespace: app
              source:
                manifest:
                  url: %s
              signature:
                chart: {type: none, reason: written here}
                images: {type: none, reason: built here}
        """.formatted(url);
  }

  @Test
  void aRelativeFileUrlIsReadAsTheFileBesideTheLockfile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rel/distribution.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, lockfile("file:manifests/app.yaml"));
    Distribution d = DistributionLoader.load(file);
    Source.Manifest m = (Source.Manifest) d.components().get(0).source();
    assertThat(m.url()).isEqualTo(dir.resolve("rel/manifests/app.yaml").toUri().toString()).startsWith("file:///");
  }

  @Test
  void aRelativeFileUrlMayNotLeaveTheLockfilesFolder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("distribution.yaml");
    Files.writeString(file, lockfile("file:../elsewhere/app.yaml"));
    assertThatThrownBy(() -> DistributionLoader.load(file)).isInstanceOf(CnaiException.class)
        .hasMessageContaining("distribution.yaml:12:")
        .hasMessageContaining("leaves the lockfile's folder")
        .satisfies(e -> assertThat(((CnaiException) e).exitCode()).isEqualTo(2));
  }

  @Test
  void aUrlThatIsNeitherIsRefusedWithWhatToWrite(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("distribution.yaml");
    Files.writeString(file, lockfile("ftp://example.org/app.yaml"));
    assertThatThrownBy(() -> DistributionLoader.load(file)).isInstanceOf(CnaiException.class)
        .hasMessageContaining("is not a URL")
        .satisfies(e -> assertThat(((CnaiException) e).hint()).contains("file:PATH"));
    Files.writeString(file, lockfile("https://example.org/v1.0/app.yaml"));
    assertThat(((Source.Manifest) DistributionLoader.load(file).components().get(0).source()).url())
        .isEqualTo("https://example.org/v1.0/app.yaml");
  }
}
