package io.cnai.installer.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the runner reads its pod's state, and that the reports' tar cannot write outside the output folder. */
class ConformanceJobTest {
  @TempDir Path dir;

  private static PodBuilder pod() {
    return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().withPhase("Running").endStatus();
  }

  @Test
  void readyMeansTheReportsAreThereAndPullOrStartFailuresEndTheWaitAtOnce() {
    Pod ready = pod().editStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    assertThat(ConformanceJob.ready(ready)).isTrue();
    assertThat(ConformanceJob.problem(ready)).isEmpty();

    Pod pulling = pod().editStatus().withPhase("Pending").addNewContainerStatus().withName("runner").withImage("cnai.local/x@sha256:1")
        .withNewState().withNewWaiting().withReason("ImagePullBackOff").withMessage("not found").endWaiting().endState()
        .endContainerStatus().endStatus().build();
    assertThat(ConformanceJob.ready(pulling)).isFalse();
    assertThat(ConformanceJob.problem(pulling)).hasValueSatisfying(p -> assertThat(p).contains("cannot pull its image")
        .contains("ImagePullBackOff").contains("cnai.local/x@sha256:1"));

    Pod creating = pod().editStatus().withPhase("Pending").addNewContainerStatus().withName("runner")
        .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().endContainerStatus().endStatus().build();
    assertThat(ConformanceJob.problem(creating)).isEmpty();

    Pod crashed = pod().editStatus().withPhase("Failed").addNewContainerStatus().withName("runner")
        .withNewState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endState()
        .endContainerStatus().endStatus().build();
    assertThat(ConformanceJob.problem(crashed)).hasValueSatisfying(p -> assertThat(p).contains("ended (Failed)").contains("exit code 1"));
  }

  @Test
  void theReportsTarIsUnpackedAndMayNotLeaveTheOutputFolder() throws Exception {
    Path out = dir.resolve("out");
    assertThat(ConformanceJob.untar(new ByteArrayInputStream(tar("./PRODUCT.yaml", "./evidence/x.txt")), out)).isEqualTo(2);
    assertThat(out.resolve("PRODUCT.yaml")).hasContent("content of ./PRODUCT.yaml");
    assertThat(out.resolve("evidence/x.txt")).exists();
    assertThatThrownBy(() -> ConformanceJob.untar(new ByteArrayInputStream(tar("../escaped.txt")), out))
        .isInstanceOf(IOException.class).hasMessageContaining("outside the report folder");
    assertThat(dir.resolve("escaped.txt")).doesNotExist();
    assertThat(Files.exists(out.resolve("evidence"))).isTrue();
  }

  private static byte[] tar(String... names) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
      for (String n : names) {
        byte[] c = ("content of " + n).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(n);
        e.setSize(c.length);
        t.putArchiveEntry(e);
        t.write(c);
        t.closeArchiveEntry();
      }
    }
    return b.toByteArray();
  }
}
