package io.cnai.installer.conformance;

import io.cnai.conformance.Submission;
import io.cnai.conformance.product.VendorCheck;
import io.cnai.conformance.template.Templates;
import io.cnai.installer.TestPaths;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The conformance module's test fixtures (made-up texts in the shapes of the program's files), for
 * runs that must not depend on the network: the checklist template is always given as a file.
 */
final class ConformanceFixtures {
  private ConformanceFixtures() {}

  static Path resource(String name) {
    return TestPaths.root().resolve("conformance/src/test/resources/io/cnai/conformance/template").resolve(name);
  }

  /** The fixture checklist template, v1.36 (TEST FIXTURE texts). */
  static Path template() {
    return resource("test-template-v1.36.yaml");
  }

  static Path product() {
    return resource("test-product.yaml");
  }

  /** The fixture template, no product file, no network. */
  static Submission submission() {
    return new Submission(template().toString(), null, null,
        new Templates(Path.of("target/no-template-cache"), "http://127.0.0.1:1/", HttpClient.newHttpClient(), Duration.ofSeconds(1)),
        VendorCheck.NONE);
  }
}
