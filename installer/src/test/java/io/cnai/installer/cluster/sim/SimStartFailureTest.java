package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.ClusterSummary;
import io.cnai.installer.cluster.NodeTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part that crashes while the cluster starts is reported with the tail of its log, as a FAILURE,
 * and nothing is left running. Uses stand-in binaries that fail, so it runs without the real ones.
 */
class SimStartFailureTest {
  static void script(Path tools, String name, String version, String body) throws Exception {
    Path p = tools.resolve(name).resolve(version).resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void aCrashingPartFailsCreateWithItsLogTail(@TempDir Path tmp) throws Exception {
    Path tools = tmp.resolve("tools");
    script(tools, "etcd", SimVersions.ETCD,
        "echo 'starting etcd'; echo 'fatal: --data-dir is on a read-only file system' >&2; exit 3");
    for (String k : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
      script(tools, k, SimVersions.KUBERNETES, "exit 1");
    }
    script(tools, "kwok", SimVersions.KWOK, "exit 1");
    SimProvider provider = new SimProvider(tmp.resolve("home"), new SimBinaries(tools), Clock.systemUTC());

    assertThatThrownBy(() -> provider.start(ClusterRequest.of("broken", NodeTopology.defaults()), Map.of()))
        .isInstanceOfSatisfying(
            CnaiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE);
              assertThat(e.problem())
                  .contains("etcd of sim cluster 'broken' exited with status 3 while starting")
                  .contains("fatal: --data-dir is on a read-only file system");
              assertThat(e.hint()).contains("logs/etcd.log").contains("cnai cluster delete --provider sim --name broken");
            });
    // The state stays for reading the logs; nothing runs; delete removes it.
    assertThat(provider.list()).singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(ClusterSummary.State.STOPPED));
    assertThat(provider.delete("broken")).isTrue();
    assertThat(provider.list()).isEmpty();
  }

  @Test
  void missingBinariesSayHowToBuildThem(@TempDir Path tmp) {
    SimProvider provider = new SimProvider(tmp.resolve("home"), new SimBinaries(tmp.resolve("none")), Clock.systemUTC());
    assertThatThrownBy(() -> provider.create(ClusterRequest.of("x", NodeTopology.defaults())))
        .isInstanceOfSatisfying(
            CnaiException.class,
            e -> assertThat(e.hint()).contains("installer/tools/build-sim.sh"));
  }
}
