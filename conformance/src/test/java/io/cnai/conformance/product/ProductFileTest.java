package io.cnai.conformance.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.conformance.Fixtures;
import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --product FILE is strict, like the rest of cnai's configuration: every error names file:line:column. */
class ProductFileTest {
  @TempDir Path dir;

  Path file(String from, String to) throws Exception {
    Path p = dir.resolve("product.yaml");
    String text = Fixtures.text(Fixtures.PRODUCT);
    assertThat(text).contains(from);
    Files.writeString(p, text.replace(from, to));
    return p;
  }

  static void refused(Path p, String where, String... contains) {
    assertThatThrownBy(() -> ProductFile.load(p)).isInstanceOfSatisfying(CnaiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
      assertThat(e.exitCode()).isEqualTo(2);
      assertThat(e.location()).isNotNull();
      assertThat(e.location().toString()).isEqualTo(p + ":" + where);
      assertThat(e.problem()).contains(contains);
      assertThat(e.hint()).isNotBlank();
    });
  }

  @Test
  void theExampleLoads() {
    ProductInfo p = ProductFile.load(Fixtures.copy(Fixtures.PRODUCT, dir, "product.yaml"));
    assertThat(p.vendorName()).isEqualTo("Example Org");
    assertThat(p.platformVersion()).contains("2026.11");
    assertThat(p.evidence()).containsEntry("gang_scheduling", List.of("https://example.org/cnai/docs/gang-scheduling"));
    assertThat(p.metadata()).containsKeys("platformName", "vendorName", "k8sConformanceUrl").doesNotContainKey("kubernetesVersion");
  }

  @Test
  void aPlaceholderLeftIsRefusedAtItsLine() throws Exception {
    refused(file("vendorName: Example Org", "vendorName: \"[Vendor Name]\""), "4:13", "product.vendorName", "placeholder [Vendor Name]");
    refused(file("  - https://example.org/cnai/docs/gang-scheduling", "  - \"[evidence URL]\""), "14:7", "placeholder");
  }

  @Test
  void malformedUrlsAndEmailAreRefused() throws Exception {
    refused(file("websiteUrl: https://example.org/cnai", "websiteUrl: example.org/cnai"), "5:13", "websiteUrl", "not a well-formed http(s) URL");
    refused(file("documentationUrl: https://example.org/cnai/docs", "documentationUrl: https://exa mple.org/docs"), "7:19", "documentationUrl");
    refused(file("repoUrl: https://example.org/cnai/source", "repoUrl: ftp://example.org/cnai"), "6:10", "repoUrl");
    refused(file("contactEmailAddress: ai-team@example.org", "contactEmailAddress: ai-team"), "10:22", "not an email address");
    refused(file("logo.svg", "logo.png"), "8:17", "raster image");
    refused(file("https://github.com/cncf/k8s-conformance/tree/master/v1.36/cnai-test", "https://example.org/k8s"), "11:20",
        "does not point at a submission of cncf/k8s-conformance");
    refused(file("  - https://example.org/cnai/docs/gang-scheduling", "  - docs/gang.md"), "14:7", "not an http(s) URL");
  }

  @Test
  void unknownMissingAndMistypedFieldsAreRefused() throws Exception {
    refused(file("vendorName:", "vendor_name:"), "4:1", "unknown field 'vendor_name'");
    assertThatThrownBy(() -> ProductFile.load(file("vendorName:", "vendor_name:")))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.hint()).isEqualTo("did you mean 'vendorName'?"));
    Path missing = file("description: A test platform built from cnai, for cnai's tests.\n", "");
    assertThatThrownBy(() -> ProductFile.load(missing)).isInstanceOfSatisfying(CnaiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
      assertThat(e.problem()).contains("missing required field 'description'");
      assertThat(e.location().file()).isEqualTo(missing.toString());
    });
    refused(file("platformVersion: \"2026.11\"", "platformVersion: 2026.11"), "3:18", "must be a string, got the number");
    refused(file("contactEmailAddress: ai-team@example.org", "contactEmailAddress: \"\""), "10:22", "is empty");
  }

  @Test
  void platformVersionAndRepoUrlAreOptional() throws Exception {
    Path p = dir.resolve("product.yaml");
    Files.writeString(p, Fixtures.text(Fixtures.PRODUCT).replace("platformVersion: \"2026.11\"\n", "")
        .replace("repoUrl: https://example.org/cnai/source\n", ""));
    ProductInfo info = ProductFile.load(p);
    assertThat(info.platformVersion()).isEmpty();
    assertThat(info.repoUrl()).isEmpty();
    assertThat(info.metadata()).doesNotContainKeys("platformVersion", "repoUrl");
  }
}
