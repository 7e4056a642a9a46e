package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.NodeRegistries;
import io.cnai.installer.cluster.RegistryMirror;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nodes' mirror configuration without a node: {@code --registry-mirror} parsing, the
 * {@code hosts.toml} containerd reads, and how the local registry fills the upstreams no mirror
 * names.
 */
class RegistryMirrorConfigTest {
  @Test
  void aMirrorWithAPathIsAskedAtThatPathAndUpstreamNever() {
    RegistryMirror m = RegistryMirror.parse("docker.io=http://10.0.0.5:5000/docker.io/");
    assertThat(m.upstream()).isEqualTo("docker.io");
    assertThat(m.prefix()).isEqualTo("/docker.io");
    assertThat(LocalProvider.hostsToml(m)).isEqualTo("""
        # written by cnai: images named docker.io/... are pulled from http://10.0.0.5:5000/docker.io, never from upstream
        server = "http://10.0.0.5:5000/v2/docker.io"
        override_path = true
        """);
  }

  @Test
  void aMirrorWithoutAPathHoldsImagesAtTheirUpstreamPath() {
    RegistryMirror m = RegistryMirror.parse("quay.io=https://mirror.corp");
    assertThat(m.prefix()).isEmpty();
    assertThat(LocalProvider.hostsToml(m)).endsWith("server = \"https://mirror.corp\"\n").doesNotContain("override_path");
  }

  @Test
  void theLocalRegistryAnswersForTheUpstreamsNoMirrorNames() {
    List<RegistryMirror> all = LocalProvider.mirrors(
        new NodeRegistries(List.of(RegistryMirror.parse("ghcr.io=https://mirror.corp/ghcr")), true), "10.201.3.1:5000");
    assertThat(all).extracting(RegistryMirror::toString).containsExactly(
        "ghcr.io=https://mirror.corp/ghcr",
        "docker.io=http://10.201.3.1:5000/docker.io",
        "quay.io=http://10.201.3.1:5000/quay.io",
        "registry.k8s.io=http://10.201.3.1:5000/registry.k8s.io",
        "cnai.local=http://10.201.3.1:5000/cnai.local");
    assertThat(LocalProvider.mirrors(NodeRegistries.none(), null)).isEmpty();
  }

  @Test
  void badMirrorsAreBadInput() {
    for (String bad : List.of("docker.io", "docker.io=ftp://x", "=http://x:5000", "Docker.IO=http://x", "docker.io=http://x/UP")) {
      assertThatThrownBy(() -> RegistryMirror.parse(bad)).as(bad)
          .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }
    assertThatThrownBy(() -> new NodeRegistries(
            List.of(RegistryMirror.parse("docker.io=http://a:1"), RegistryMirror.parse("docker.io=http://b:1")), false))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.problem()).contains("two registry mirrors for docker.io"));
  }

  @Test
  void theCliRefusesMirrorsForProvidersWithoutContainersAndBadMirrors() {
    Cli.Result r = Cli.run("cluster", "create", "--provider", "sim", "--name", "img-x", "--local-registry");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("provider sim has none").contains("--provider local");
    r = Cli.run("cluster", "create", "--provider", "local", "--name", "img-x", "--registry-mirror", "docker.io");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("invalid registry mirror 'docker.io'").contains("UPSTREAM=URL");
  }
}
