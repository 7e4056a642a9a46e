package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cli.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cnai conformance run' refuses bad input with exit 2 and a hint, before touching any cluster. */
class ConformanceCommandTest {
  @TempDir Path dir;

  @Test
  void unreadableKubeconfigExitsTwoWithAHint() {
    Cli.Result r = Cli.run("conformance", "run", "--kubeconfig", dir.resolve("nope").toString(), "--output-dir", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("error: kubeconfig").contains("cannot be read").contains("hint:");
  }

  @Test
  void badTagExpressionExitsTwo() {
    Cli.Result r = Cli.run("conformance", "run", "--tags", "@MUST and or", "--output-dir", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad tag expression").contains("hint:");
  }

  @Test
  void helpListsTheNeedsAndExitCodes() {
    Cli.Result r = Cli.run("conformance", "run", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--output-dir").contains("--tags").contains("NOT RUN").contains("Exit codes");
  }
}
