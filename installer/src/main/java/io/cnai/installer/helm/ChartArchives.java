package io.cnai.installer.helm;

import io.cnai.core.CnaiException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Safe extraction of chart archives ({@code .tgz} with one top-level folder). */
final class ChartArchives {
  /** Same order of magnitude as Helm's own limit on a decompressed chart. */
  static final long MAX_TOTAL_BYTES = 256L * 1024 * 1024;

  private ChartArchives() {}

  /**
   * Extracts {@code archive} into {@code dest} and returns the chart's folder (the archive's single
   * top-level folder). Refuses absolute paths, {@code ..}, links and devices.
   */
  static Path extract(Path archive, Path dest) {
    String top = null;
    long total = 0;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
      TarArchiveEntry e;
      byte[] buffer = new byte[64 * 1024];
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName().replace('\\', '/');
        while (name.startsWith("./")) {
          name = name.substring(2);
        }
        if (name.isEmpty() || e.isGlobalPaxHeader()) {
          continue;
        }
        if (name.startsWith("/") || ("/" + name + "/").contains("/../")) {
          throw bad(archive, "has an entry outside the chart folder: " + e.getName());
        }
        if (e.isSymbolicLink() || e.isLink() || e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
          throw bad(archive, "has a link or device entry, which chart archives never contain: " + e.getName());
        }
        String first = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        if (top == null) {
          top = first;
        }
        Path target = dest.resolve(name).normalize();
        if (!target.startsWith(dest)) {
          throw bad(archive, "has an entry outside the chart folder: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          int n;
          while ((n = tar.read(buffer)) > 0) {
            total += n;
            if (total > MAX_TOTAL_BYTES) {
              throw bad(archive, "unpacks to more than " + (MAX_TOTAL_BYTES >> 20) + " MiB");
            }
            out.write(buffer, 0, n);
          }
        }
      }
    } catch (CnaiException ex) {
      throw ex;
    } catch (IOException ex) {
      throw bad(archive, "is not a readable chart archive (.tgz): " + ex.getMessage());
    }
    if (top == null || !Files.isRegularFile(dest.resolve(top).resolve("Chart.yaml"))) {
      throw bad(archive, "has no Chart.yaml in a top-level folder");
    }
    return dest.resolve(top);
  }

  private static CnaiException bad(Path archive, String what) {
    return CnaiException.badInput(
        "chart archive " + archive + " " + what,
        "use the archive as the chart repository publishes it ('helm package' output)");
  }
}
