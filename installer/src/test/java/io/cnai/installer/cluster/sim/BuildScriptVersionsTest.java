package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The build script and SimVersions must name the same versions, or the binaries are not found. */
class BuildScriptVersionsTest {
  static String scriptVersion(String text, String var) {
    Matcher m = Pattern.compile("(?m)^" + var + "=\"(v[0-9][^\"]*)\"").matcher(text);
    assertThat(m.find()).as(var + " in build-sim.sh").isTrue();
    return m.group(1);
  }

  @Test
  void scriptAndJavaAgree() throws Exception {
    Path root = Path.of(System.getProperty("cnai.repo.root", ".."));
    Path script = root.resolve("installer/tools/build-sim.sh");
    if (!Files.exists(script)) {
      script = Path.of("tools/build-sim.sh");
    }
    String text = Files.readString(script);
    assertThat(scriptVersion(text, "K8S_VERSION")).isEqualTo(SimVersions.KUBERNETES);
    assertThat(scriptVersion(text, "ETCD_VERSION")).isEqualTo(SimVersions.ETCD);
    assertThat(scriptVersion(text, "KWOK_VERSION")).isEqualTo(SimVersions.KWOK);
    String node = Files.readString(script.resolveSibling("build-node.sh"));
    assertThat(scriptVersion(node, "CONTAINERD_VERSION")).isEqualTo(NodeVersions.CONTAINERD);
    assertThat(scriptVersion(node, "COREDNS_VERSION")).isEqualTo(NodeVersions.COREDNS);
    assertThat(scriptVersion(node, "NETPOL_VERSION")).isEqualTo(NodeVersions.NETPOL);
    String registry = Files.readString(script.resolveSibling("build-registry.sh"));
    assertThat(registry).contains("REGISTRY_VERSION=\"${CNAI_REGISTRY_VERSION:-" + NodeVersions.REGISTRY + "}\"");
    // the kubelet is the control plane's version: build-node.sh takes K8S_VERSION from build-sim.sh
    assertThat(node).contains("source \"$(dirname \"${BASH_SOURCE[0]}\")/build-sim.sh\"").doesNotContain("K8S_VERSION=");
  }
}
