package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The chart Helm installs: the verified archive, or, with pinned subcharts, a folder with them in charts/. */
final class ChartDirs {
  private ChartDirs() {}

  static Path withSubcharts(Path archive, List<Path> subcharts, Path work) {
    return forHelm(archive, subcharts, java.util.Set.of(), work);
  }

  /**
   * The chart Helm installs: the verified archive, unpacked when subcharts are pinned or templates
   * are to be left out. {@code dropTemplates}: paths inside the chart (e.g. {@code
   * templates/crd/queues.yaml}) of templates that render nothing but CRDs, which cnai applies and
   * keeps itself (which ones may go is decided by rendering without them: {@link Ownership#droppable}).
   */
  static Path forHelm(Path archive, List<Path> subcharts, java.util.Set<String> dropTemplates, Path work) {
    if (subcharts.isEmpty() && dropTemplates.isEmpty()) {
      return archive;
    }
    try (InputStream in = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      Path root = null;
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        Path p = work.resolve(e.getName()).normalize();
        if (!p.startsWith(work) || e.isSymbolicLink() || e.isLink()) {
          throw CnaiException.refused("chart archive " + archive + " has an entry outside the chart: " + e.getName(),
              "do not install this archive");
        }
        if (root == null) {
          root = work.resolve(work.relativize(p).getName(0));
        }
        if (e.isDirectory()) {
          Files.createDirectories(p);
        } else {
          Files.createDirectories(p.getParent());
          Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Path charts = root.resolve("charts");
      Files.createDirectories(charts);
      for (Path s : subcharts) {
        Files.copy(s, charts.resolve(s.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      for (String t : dropTemplates) {
        Path f = root.resolve(t).normalize();
        if (f.startsWith(root.resolve("templates")) && Files.isRegularFile(f)) {
          Files.delete(f);
        }
      }
      return root;
    } catch (IOException ex) {
      throw CnaiException.failure("cannot unpack chart " + archive + ": " + ex.getMessage(), "check the disk and the chart cache");
    }
  }

  /** Packs a chart folder (as {@link #forHelm} made it) into a gzipped tar archive at {@code out}. */
  static Path pack(Path chartDir, Path out) {
    try (var os = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(out)))) {
      os.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
      Path base = chartDir.getParent();
      try (var files = Files.walk(chartDir)) {
        for (Path f : files.sorted().toList()) {
          if (Files.isRegularFile(f)) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(f.toFile(), base.relativize(f).toString());
            os.putArchiveEntry(e);
            Files.copy(f, os);
            os.closeArchiveEntry();
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw CnaiException.failure("cannot pack chart " + chartDir + ": " + e.getMessage(), "check the temporary folder");
    }
  }
}
