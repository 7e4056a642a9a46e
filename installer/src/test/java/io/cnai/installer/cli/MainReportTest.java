package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** How an exception that reaches the CLI is printed: once, with what to do, and the right exit code. */
class MainReportTest {
  private static String[] report(Exception e, boolean verbose) {
    StringWriter w = new StringWriter();
    int code = Main.report(e, new PrintWriter(w), verbose);
    return new String[] {Integer.toString(code), w.toString()};
  }

  @Test
  void anUnreachableApiServerIsAFailureThatSaysWhatToCheckNotABug() {
    var e = new KubernetesClientException("Operation: [list] for kind: [Namespace] failed.",
        new ConnectException("Connection refused: /127.0.0.1:1"));
    String[] r = report(new RuntimeException("wrapped", e), false);
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).startsWith("error: cannot reach the Kubernetes API server: Operation: [list] for kind: [Namespace] failed. (Connection refused")
        .contains("hint: check that the cluster runs and that --kubeconfig and --context point at it")
        .doesNotContain("bug in cnai", "\tat ");
  }

  @Test
  void aRefusedRequestNamesTheStatus() {
    var e = new KubernetesClientException("Forbidden: secrets is forbidden", 403, null);
    String[] r = report(e, false);
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).startsWith("error: the Kubernetes API server answered 403: Forbidden").contains("RBAC");
  }

  @Test
  void typedErrorsKeepTheirExitCodeAndAnythingElseIsABugWithAStackTraceOnlyWithVerbose() {
    assertThat(report(CnaiException.badInput("bad flag", "fix it"), false)[0]).isEqualTo("2");
    assertThat(report(CnaiException.refused("digest differs", "do not use it"), false)[0]).isEqualTo("3");
    String[] quiet = report(new IllegalStateException("boom"), false);
    assertThat(quiet[0]).isEqualTo("1");
    assertThat(quiet[1]).contains("unexpected IllegalStateException: boom", "bug in cnai").doesNotContain("\tat ");
    assertThat(report(new IllegalStateException("boom"), true)[1]).contains("\tat ");
  }
}
