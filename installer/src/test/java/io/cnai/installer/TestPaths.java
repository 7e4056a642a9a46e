package io.cnai.installer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository for tests, whatever the working directory. */
public final class TestPaths {
  private TestPaths() {}

  public static Path root() {
    String prop = System.getProperty("cnai.repo.root");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "distro"))) {
      return Path.of(prop);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("distro/releases"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  public static Path release() {
    return root().resolve("distro/releases/2026.11/distribution.yaml");
  }

  public static Path profiles() {
    return root().resolve("profiles");
  }

  /** Golden files are regenerated with -Dcnai.update.golden=true, never edited by hand. */
  public static boolean updateGolden() {
    return Boolean.getBoolean("cnai.update.golden");
  }
}
