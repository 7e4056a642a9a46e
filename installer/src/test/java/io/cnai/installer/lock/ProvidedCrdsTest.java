package io.cnai.installer.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
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

/**
 * The CRDs and API groups a component 'provides' must come out of its render: 'distro validate
 * --render' and 'distro lock' say which are missing, naming the component.
 */
class ProvidedCrdsTest extends FixtureStackTest {

  /** certs promises a kind its chart lacks; store-operator a whole group its manifest lacks. */
  void overPromise() throws IOException {
    String text = Files.readString(stack.distribution());
    String promised = text
        .replace("crds: [{group: certs.cnai.test, kinds: [Certificate, Issuer]}]",
            "crds: [{group: certs.cnai.test, kinds: [Certificate, Issuer, ClusterIssuer]}]")
        .replace("crds: [{group: features.cnai.test, kinds: [Store]}]",
            "crds: [{group: features.cnai.test, kinds: [Store]}, {group: extra.cnai.test, kinds: [Shelf]}]");
    assertThat(promised).isNotEqualTo(text).contains("ClusterIssuer").contains("extra.cnai.test");
    Files.writeString(stack.distribution(), promised);
  }

  @Test
  void validateRenderAcceptsWhatRendersAndNamesWhatDoesNot() throws IOException {
    Cli.Result ok = Cli.run("distro", "validate", "--render", stack.distribution().toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("rendered 2 component(s) that provide CRDs");

    overPromise();
    Cli.Result r = Cli.run("distro", "validate", "--render", stack.distribution().toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("2 component(s) do not render CRDs the lockfile says they provide")
        .contains("component 'certs': certs.cnai.test/ClusterIssuer")
        .contains("component 'store-operator': extra.cnai.test (no CRD of this group at all)")
        .doesNotContain("certs.cnai.test/Certificate")
        .contains("hint:");
    // without --render the lockfile is only checked for form: still valid
    assertThat(Cli.run("distro", "validate", stack.distribution().toString()).exit()).isZero();
  }

  @Test
  void lockSaysWhichProvidedCrdsAreMissing() throws IOException {
    overPromise();
    Cli.Result r = Cli.run("distro", "lock", stack.distribution().toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err())
        .contains("failed: certs: the lockfile says it provides CRDs of certs.cnai.test/ClusterIssuer")
        .contains("failed: store-operator: the lockfile says it provides CRDs of extra.cnai.test");
    // the digests were still resolved and written
    assertThat(Files.readString(stack.distribution())).contains(stack.digest("queues"));
  }
}
