package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the distribution releases and profiles are: the 'cnai.root' system property (the launcher
 * sets it), the CNAI_ROOT variable, or the nearest folder upwards holding distro/releases.
 */
public final class CnaiRoot {
  private CnaiRoot() {}

  public static Path find() {
    String prop = System.getProperty("cnai.root");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    String env = System.getenv("CNAI_ROOT");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isDirectory(p.resolve("distro/releases"))) {
        return p;
      }
      p = p.getParent();
    }
    throw CnaiException.badInput(
        "cannot find the cnai distribution files (distro/releases)",
        "run cnai from its repository, set CNAI_ROOT, or pass --distribution and --profiles-dir");
  }

  /** The newest release's lockfile. */
  public static Path latestDistribution() {
    Path releases = find().resolve("distro/releases");
    try (Stream<Path> dirs = Files.list(releases)) {
      Path newest =
          dirs.filter(d -> Files.isRegularFile(d.resolve("distribution.yaml")))
              .max(Comparator.comparing(d -> d.getFileName().toString()))
              .orElseThrow(
                  () -> CnaiException.badInput("no release in " + releases, "pass --distribution FILE"));
      return relative(newest.resolve("distribution.yaml"));
    } catch (IOException e) {
      throw CnaiException.badInput("cannot list " + releases + ": " + e.getMessage(), "pass --distribution FILE");
    }
  }

  public static Path profilesDir() {
    return relative(find().resolve("profiles"));
  }

  /** Shorter paths in messages when the file is under the working directory. */
  static Path relative(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
  }
}
