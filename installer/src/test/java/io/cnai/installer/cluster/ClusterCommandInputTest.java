package io.cnai.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Bad flags of 'cnai cluster create' are BAD_INPUT (exit 2) and say what to do; no cluster needed. */
class ClusterCommandInputTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void moreGpuNodesThanNodes() {
    Result r = run("cluster", "create", "--provider", "sim", "--nodes", "2", "--gpu-nodes", "3");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--gpu-nodes must be between 0 and --nodes (2)").contains("hint:");
  }

  @Test
  void unknownGpuProduct() {
    Result r = run("cluster", "create", "--provider", "sim", "--gpu-product", "NVIDIA-X9000");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown GPU product 'NVIDIA-X9000'").contains("NVIDIA-H100-80GB-HBM3");
  }

  @Test
  void unknownProvider() {
    Result r = run("cluster", "create", "--provider", "minikube");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown provider 'minikube'");
  }

  @Test
  void badName() {
    Result r = run("cluster", "create", "--provider", "sim", "--name", "Bad_Name");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("invalid cluster name 'Bad_Name'");
  }

  @Test
  void missingProviderIsUsage() {
    Result r = run("cluster", "create");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--provider");
  }

  @Test
  void existingClustersAreNotDeleted() {
    Result r = run("cluster", "delete", "--provider", "existing", "--name", "prod");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("does not delete clusters it did not create");
  }
}
