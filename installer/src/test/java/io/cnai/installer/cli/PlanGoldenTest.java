package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plan of each profile of the 2026.11 release, with values, as JSON. Regenerate with
 * ./mvnw -pl installer -am test -Dtest=PlanGoldenTest -Dcnai.update.golden=true -Dsurefire.failIfNoSpecifiedTests=false
 */
class PlanGoldenTest {
  @ParameterizedTest
  @ValueSource(strings = {"kind", "laptop", "eks", "gke", "classroom"})
  void planMatchesGolden(String profile) throws IOException {
    Cli.Result r = Cli.run("plan", "--profile", profile, "--output", "json", "--show-values");
    assertThat(r.exit()).as(r.err()).isZero();
    Path golden = TestPaths.root().resolve("installer/src/test/resources/golden/plan-" + profile + ".json");
    if (TestPaths.updateGolden()) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, r.out());
    }
    assertThat(golden).as("golden file missing: run with -Dcnai.update.golden=true").exists();
    assertThat(r.out()).isEqualTo(Files.readString(golden));
  }
}
