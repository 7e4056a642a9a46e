package io.cnai.installer.verify;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** Locates the shared Sigstore conformance vectors; never copied into the repository. */
final class Fixtures {
  static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

  private Fixtures() {}

  static Path repoRoot() {
    String prop = System.getProperty("cnai.repo.root");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Paths.get(prop).resolve("installer"))) {
      return Paths.get(prop).toAbsolutePath().normalize();
    }
    Path p = Paths.get("").toAbsolutePath();
    while (p != null) {
      if (Files.isDirectory(p.resolve("installer")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("cannot find the repository root from " + Paths.get("").toAbsolutePath());
  }

  /** ../shared/fixtures/sigstore-conformance relative to the repository root; fails if absent. */
  static Path conformance() {
    Path dir = repoRoot().resolve("../shared/fixtures/sigstore-conformance").normalize();
    if (!Files.isDirectory(dir.resolve("bundle-verify"))) {
      fail(
          "the Sigstore conformance vectors are missing: expected "
              + dir
              + "/bundle-verify (see that folder's README); these tests must not be skipped");
    }
    return dir;
  }

  static List<Path> cases() {
    Path base = conformance().resolve("bundle-verify");
    try (Stream<Path> s = Files.list(base)) {
      List<Path> dirs = s.filter(Files::isDirectory).sorted().toList();
      if (dirs.isEmpty()) {
        fail("no conformance cases under " + base);
      }
      return dirs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String readTrimmed(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
