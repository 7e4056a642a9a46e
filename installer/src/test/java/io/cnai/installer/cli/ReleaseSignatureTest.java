package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.TestPaths;
import org.junit.jupiter.api.Test;

/**
 * The release lockfile is signed by a key of the project's trust policy. An edit of the lockfile
 * (including 'cnai distro lock') must be followed by 'cnai distro sign' with the release key.
 */
class ReleaseSignatureTest {
  @Test
  void theReleaseVerifiesAgainstTheProjectPolicy() {
    Cli.Result r = Cli.run("distro", "verify", TestPaths.release().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("verified").contains("cnai 2026.11");
  }
}
