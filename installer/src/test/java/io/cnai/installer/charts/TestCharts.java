package io.cnai.installer.charts;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The fixture charts of {@code installer/src/test/resources/charts}, read from the source tree (so
 * that their symbolic links are real), packaged at test time.
 */
public final class TestCharts {
  private TestCharts() {}

  /** The folder holding the fixture charts. */
  public static Path source() {
    String root = System.getProperty("cnai.repo.root");
    List<Path> candidates = root == null
        ? List.of(Path.of("src/test/resources/charts"), Path.of("installer/src/test/resources/charts"))
        : List.of(Path.of(root, "installer/src/test/resources/charts"), Path.of("src/test/resources/charts"));
    for (Path p : candidates) {
      if (Files.isDirectory(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new IllegalStateException("fixture charts not found; run the tests from the repository or installer/");
  }

  public static Path dir(String name) {
    return source().resolve(name);
  }

  /**
   * Packages fixture chart {@code name} into {@code dest} with helm-java ({@code helm package}) and
   * returns the archive. A chart whose declared dependencies are not bundled cannot go through
   * {@code helm package}; it is tarred as it stands, as such charts are published.
   */
  public static Path packageChart(String name, Path dest) {
    return packageDir(dir(name), dest);
  }

  public static Path packageDir(Path chartDir, Path dest) {
    try {
      Files.createDirectories(dest);
      try {
        new Helm(chartDir).packageIt().withDestination(dest).call();
      } catch (IllegalStateException e) {
        if (!String.valueOf(e.getMessage()).contains("missing in charts/ directory")) {
          throw e;
        }
        return tar(chartDir, dest);
      }
      String chartName = chartName(chartDir);
      String version = chartVersion(chartDir);
      Path archive = dest.resolve(chartName + "-" + version + ".tgz");
      if (!Files.isRegularFile(archive)) {
        throw new IllegalStateException("helm package wrote no " + archive);
      }
      return archive;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of fixture chart {@code name} (symbolic links followed) to modify in a test. */
  public static Path copy(String name, Path dest) {
    Path from = dir(name);
    Path to = dest.resolve(name);
    try (Stream<Path> s = Files.walk(from, FileVisitOption.FOLLOW_LINKS)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets Chart.yaml {@code version} of a chart folder (a {@link #copy}), to publish several versions. */
  public static Path withVersion(Path chartDir, String version) {
    try {
      Path chartYaml = chartDir.resolve("Chart.yaml");
      Files.writeString(chartYaml, Files.readString(chartYaml).replaceAll("(?m)^version: .*$", "version: " + version));
      return chartDir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code <name>-<version>.tgz} of a chart folder, links followed, with one top-level folder. */
  public static Path tar(Path chartDir, Path dest) throws IOException {
    String name = chartName(chartDir);
    Path archive = dest.resolve(name + "-" + chartVersion(chartDir) + ".tgz");
    try (OutputStream out = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      try (Stream<Path> s = Files.walk(chartDir, FileVisitOption.FOLLOW_LINKS)) {
        for (Path p : s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
          TarArchiveEntry e = new TarArchiveEntry(name + "/" + chartDir.relativize(p).toString().replace('\\', '/'));
          e.setSize(Files.size(p));
          e.setModTime(0);
          tar.putArchiveEntry(e);
          Files.copy(p, tar);
          tar.closeArchiveEntry();
        }
      }
    }
    return archive;
  }

  /** Chart.yaml {@code name} and {@code version} of a packaged chart, without unpacking it. */
  public static String[] nameAndVersion(Path archive) {
    String text = chartYaml(archive);
    return new String[] {field(text, "name"), field(text, "version")};
  }

  /** The Chart.yaml text of a packaged chart. */
  public static String chartYaml(Path archive) {
    try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.getName().matches("[^/]+/Chart\\.yaml")) {
          return new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(archive + " has no Chart.yaml");
  }

  static String chartName(Path chartDir) throws IOException {
    return field(Files.readString(chartDir.resolve("Chart.yaml")), "name");
  }

  static String chartVersion(Path chartDir) throws IOException {
    return field(Files.readString(chartDir.resolve("Chart.yaml")), "version");
  }

  private static String field(String chartYaml, String key) {
    for (String line : chartYaml.split("\n")) {
      if (line.startsWith(key + ":")) {
        return line.substring(key.length() + 1).trim().replace("\"", "");
      }
    }
    throw new IllegalStateException("Chart.yaml has no " + key);
  }
}
