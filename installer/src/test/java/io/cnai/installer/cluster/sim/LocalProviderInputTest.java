package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local provider refuses before it changes anything on the machine (exit 2). */
class LocalProviderInputTest {
  static NodeTopology nodes(int n, int gpu) {
    return new NodeTopology(n, gpu, 8, GpuProduct.of(GpuProduct.DEFAULT));
  }

  @Test
  void missingBinariesAreBadInputNamingTheBuildScripts(@TempDir Path tmp) {
    Path none = tmp.resolve("no-tools");
    LocalProvider p = new LocalProvider(tmp.resolve("home"), new SimBinaries(none), new NodeBinaries(none), Clock.systemUTC());
    assertThat(p.missing()).anySatisfy(m -> assertThat(m).contains("kubelet").contains("build-node.sh"))
        .anySatisfy(m -> assertThat(m).contains("kube-apiserver").contains("build-sim.sh"));
    assertThatThrownBy(() -> p.create(ClusterRequest.of("x", nodes(1, 0))))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.problem()).contains("real nodes cannot run here").contains("build-node.sh");
          assertThat(e.hint()).contains("build-node.sh --check");
        });
    assertThat(tmp.resolve("home/clusters/x")).doesNotExist();
  }

  @Test
  void gpuNodesAndTooManyNodesAreRefused(@TempDir Path tmp) {
    LocalProvider p = new LocalProvider(tmp, new SimBinaries(tmp), new NodeBinaries(tmp), Clock.systemUTC());
    assertThatThrownBy(() -> p.create(ClusterRequest.of("x", nodes(3, 2))))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.hint()).contains("--gpu-nodes 0");
        });
    assertThatThrownBy(() -> p.create(ClusterRequest.of("x", nodes(LocalProvider.MAX_NODES + 1, 0))))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    assertThat(p.defaultTopology().nodes()).isEqualTo(1);
    assertThat(p.defaultTopology().gpuNodes()).isZero();
  }

  @Test
  void eachProviderKeepsToItsOwnClusters(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("clusters/mine"));
    Files.writeString(dir.resolve("cluster.properties"), "name=mine\nprovider=local\n");
    SimProvider sim = new SimProvider(tmp, new SimBinaries(tmp), Clock.systemUTC());
    LocalProvider local = new LocalProvider(tmp, new SimBinaries(tmp), new NodeBinaries(tmp), Clock.systemUTC());
    assertThat(sim.list()).isEmpty();
    assertThat(sim.find("mine")).isEmpty();
    assertThat(local.find("mine")).isPresent();
    assertThatThrownBy(() -> sim.delete("mine"))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.hint()).contains("--provider local"));
    assertThat(Providers.names()).contains("local");
  }
}
