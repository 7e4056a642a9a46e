package io.cnai.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** spec.kubernetes.tested: the Kubernetes versions a release was tested on, and on what. */
class TestedKubernetesTest {
  @Test
  void testedVersionsAreReadAndFoundByMinorLine() throws Exception {
    String base = Files.readString(Path.of("src/test/resources/bad-lockfiles/kubernetes-min-after-max.yaml"));
    String text = base.replace("    min: \"1.36\"\n    max: \"1.33\"\n",
        "    min: \"1.33\"\n    max: \"1.36\"\n    tested:\n      - version: \"1.36.1\"\n        cluster: kind\n"
            + "      - version: \"1.37.2\"\n        cluster: sim\n");
    Distribution d = DistributionLoader.parse("tested.yaml", text);
    assertThat(d.testedKubernetes()).extracting(Distribution.TestedOn::toString)
        .containsExactly("1.36.1 (kind)", "1.37.2 (sim)");
    assertThat(d.testedOn(KubeVersion.parse("1.37.0"))).get().extracting(Distribution.TestedOn::cluster).isEqualTo("sim");
    assertThat(d.testedOn(KubeVersion.parse("1.38"))).isEmpty();
  }
}
