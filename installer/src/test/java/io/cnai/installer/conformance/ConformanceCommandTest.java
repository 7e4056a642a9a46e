package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cli.Cli;
import java.nio.file.Files;
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
    assertThat(r.out()).contains("--output-dir").contains("--tags").contains("NOT RUN").contains("Exit codes")
        .contains("--template").contains("--template-version").contains("--product");
    assertThat(Cli.run("conformance", "submit-dir", "--help").out()).contains("v1.NN/<product>").contains("--draft");
  }

  @Test
  void aPlaceholderInTheProductFileExitsTwoWithFileAndLineBeforeAnyCluster() throws Exception {
    Path product = dir.resolve("product.yaml");
    Files.writeString(product, Files.readString(ConformanceFixtures.product())
        .replace("contactEmailAddress: ai-team@example.org", "contactEmailAddress: \"[Contact Email Address]\""));
    Cli.Result r = Cli.run("conformance", "run", "--product", product.toString(), "--kubeconfig", dir.resolve("nope").toString(),
        "--output-dir", dir.resolve("out").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("error: " + product + ":10:22: product.contactEmailAddress still holds the placeholder")
        .contains("hint:");
  }

  @Test
  void submitDirLaysOutTheReportOrRefusesOneThatCannotBeSubmitted() throws Exception {
    Path report = dir.resolve("report");
    Files.createDirectories(report.resolve("evidence"));
    // a written PRODUCT.yaml as a run without --product leaves it: the template's placeholders
    StringBuilder product = new StringBuilder("metadata:\n  kubernetesVersion: \"v1.36\"\n  vendorName: \"[Vendor Name]\"\nspec: {}\n");
    Files.writeString(report.resolve("PRODUCT.yaml"), product);
    Path root = dir.resolve("sub");
    Cli.Result refused = Cli.run("conformance", "submit-dir", root.toString(), "--from", report.toString(), "--name", "cnai",
        "--template", ConformanceFixtures.template().toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("not submittable").contains("metadata.vendorName").contains("hint:");
    assertThat(root.resolve("v1.36/cnai/PRODUCT.yaml")).doesNotExist();

    Cli.Result draft = Cli.run("conformance", "submit-dir", root.toString(), "--from", report.toString(), "--name", "cnai",
        "--template", ConformanceFixtures.template().toString(), "--draft");
    assertThat(draft.exit()).as(draft.err()).isZero();
    assertThat(draft.out()).contains("submission laid out in " + root.resolve("v1.36/cnai")).contains("DRAFT: not submittable");
    assertThat(root.resolve("v1.36/cnai/PRODUCT.yaml")).exists();
  }
}
