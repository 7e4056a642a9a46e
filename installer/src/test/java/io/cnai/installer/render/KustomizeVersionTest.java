package io.cnai.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** cnai looks for the kustomize version that build-kustomize.sh builds. */
class KustomizeVersionTest {
  @Test
  void scriptAndCodeNameTheSameVersion() throws IOException {
    String script = Files.readString(TestPaths.root().resolve("installer/tools/build-kustomize.sh"));
    assertThat(script).contains("KUSTOMIZE_VERSION=\"${CNAI_KUSTOMIZE_VERSION:-" + ManifestSources.KUSTOMIZE_VERSION + "}\"");
  }
}
