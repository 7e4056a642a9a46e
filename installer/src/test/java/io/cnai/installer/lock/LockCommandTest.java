package io.cnai.installer.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.charts.LocalOciRegistry;
import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.testing.FixtureStackTest;
import io.cnai.installer.testing.TestStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cnai distro lock' against a real local HTTP chart repository (and an OCI registry when built). */
class LockCommandTest extends FixtureStackTest {

  @Test
  void locksWhatIsUnlockedAndKeepsTheRest() throws IOException {
    String before = Files.readString(stack.distribution());
    Cli.Result r = Cli.run("distro", "lock", stack.distribution().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("queues").contains("locked").contains("unchanged").contains("Wrote");
    Distribution d = DistributionLoader.load(stack.distribution());
    assertThat(d.component("queues").orElseThrow().source().digest()).isEqualTo(stack.digest("queues"));
    String after = Files.readString(stack.distribution());
    assertThat(after.lines().count()).isEqualTo(before.lines().count());
    // the second run changes nothing, byte for byte
    Cli.Result again = Cli.run("distro", "lock", stack.distribution().toString());
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("unchanged").doesNotContain(" locked");
    assertThat(Files.readString(stack.distribution())).isEqualTo(after);
  }

  @Test
  void aRepublishedVersionIsRefusedUnlessUpdate() throws IOException {
    byte[] other = Files.readAllBytes(TestCharts.packageChart("certs", tmp.resolve("other")));
    // a different archive of the same version: repackaging changes its bytes
    other = java.util.Arrays.copyOf(other, other.length + 1);
    String newDigest = repo.republish("certs", "1.4.0", other);
    String before = Files.readString(stack.distribution());
    Cli.Result r = Cli.run("distro", "lock", stack.distribution().toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("mismatch: certs").contains(stack.digest("certs")).contains(newDigest);
    // the mismatching digest stays; the unlocked one was still locked
    Distribution d = DistributionLoader.load(stack.distribution());
    assertThat(d.component("certs").orElseThrow().source().digest()).isEqualTo(stack.digest("certs"));
    assertThat(d.component("queues").orElseThrow().source().digest()).isEqualTo(stack.digest("queues"));
    assertThat(Files.readString(stack.distribution())).isNotEqualTo(before);

    Cli.Result u = Cli.run("distro", "lock", stack.distribution().toString(), "--update");
    assertThat(u.exit()).as(u.err()).isZero();
    assertThat(DistributionLoader.load(stack.distribution()).component("certs").orElseThrow().source().digest()).isEqualTo(newDigest);
  }

  @Test
  void dryRunWritesNothing() throws IOException {
    String before = Files.readString(stack.distribution());
    Cli.Result r = Cli.run("distro", "lock", stack.distribution().toString(), "--dry-run");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("not written");
    assertThat(Files.readString(stack.distribution())).isEqualTo(before);
  }

  @Test
  void unreachableSourcesFailButOthersAreLocked() throws IOException {
    Files.delete(tmp.resolve("operator.yaml"));
    Cli.Result r = Cli.run("distro", "lock", stack.distribution().toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("failed: store-operator");
    assertThat(DistributionLoader.load(stack.distribution()).component("queues").orElseThrow().source().digest()).isEqualTo(stack.digest("queues"));
  }

  @Test
  void unknownComponentIsBadInput() {
    Cli.Result r = Cli.run("distro", "lock", stack.distribution().toString(), "--component", "nope");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no component 'nope'");
  }

  @Test
  void locksChartsAndSubchartsFromAnOciRegistry() throws IOException {
    assumeTrue(LocalOciRegistry.available(), LocalOciRegistry.MISSING);
    try (LocalOciRegistry registry = LocalOciRegistry.start()) {
      Path packaged = tmp.resolve("oci");
      Path certs = TestCharts.packageChart("certs", packaged);
      Path queues = TestCharts.packageChart("queues", packaged);
      String repository = registry.push(certs, "charts");
      registry.push(queues, "charts");
      Path lockfile = tmp.resolve("oci-distribution.yaml");
      Files.writeString(lockfile, """
          apiVersion: distro.cnai.io/v1alpha1
          kind: Distribution
          metadata: {name: oci, version: "2026.11"}
          spec:
            components:
              - name: certs
                namespace: certs
                source:
                  helm:
                    repository: %1$s
                    chart: certs
                    version: 1.4.0
                subcharts:
                  - name: queues
                    repository: %1$s
                    version: 0.9.2
                signature:
                  chart: {type: none, reason: fixture}
                  images: {type: none, reason: fixture}
          """.formatted(repository));
      Cli.Result r = Cli.run("distro", "lock", lockfile.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      Distribution d = DistributionLoader.load(lockfile);
      assertThat(d.component("certs").orElseThrow().source().digest()).isEqualTo(io.cnai.installer.plan.Canonical.sha256(Files.readAllBytes(certs)));
      assertThat(d.component("certs").orElseThrow().subcharts().get(0).digest()).isEqualTo(io.cnai.installer.plan.Canonical.sha256(Files.readAllBytes(queues)));
    }
  }
}
