package io.cnai.installer.charts;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;

/**
 * Chart archives on disk, content-addressed: {@code <root>/sha256/<hex>.tgz}. A file is only ever
 * stored under the sha256 of its own bytes, and is hashed again each time it is handed out, so a
 * corrupted cache is noticed and refetched.
 *
 * <p>With a known (locked) digest a cached chart is returned without any network access. Without
 * one the repository is asked for the chart's digest and the archive downloaded if not cached.
 */
public final class ChartCache {
  private final Path root;
  private final ChartRepositoryClient client;

  public ChartCache(Path root, ChartRepositoryClient client) {
    this.root = Objects.requireNonNull(root);
    this.client = Objects.requireNonNull(client);
  }

  /** {@code $CNAI_CACHE/charts} (or the system property cnai.cache), else {@code ~/.cache/cnai/charts}. */
  public static Path defaultRoot(Map<String, String> env) {
    String cache = System.getProperty("cnai.cache", env.get("CNAI_CACHE"));
    Path base = cache != null && !cache.isBlank()
        ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "cnai");
    return base.resolve("charts");
  }

  public Path root() {
    return root;
  }

  /** Where the archive with this digest is (or would be) kept. */
  public Path pathFor(String digest) {
    return root.resolve("sha256").resolve(Digests.hex(digest) + ".tgz");
  }

  /**
   * The chart archive, from the cache or fetched, verified against {@code expectedDigest}.
   *
   * @param expectedDigest the locked {@code sha256:<hex>}, or null when the chart is not locked yet:
   *     then the actual digest is returned for the caller to record
   * @throws CnaiException VERIFICATION when the repository publishes, or the download has, a different
   *     digest than expected (nothing is kept); BAD_INPUT for a malformed digest or an unknown chart;
   *     FAILURE when the repository cannot be reached
   */
  public FetchedChart fetch(ChartCoordinates c, String expectedDigest) {
    if (expectedDigest != null) {
      Digests.require(expectedDigest, "locked digest of chart " + c.describe());
      FetchedChart cached = cached(c, expectedDigest);
      if (cached != null) {
        return cached;
      }
    }
    ResolvedChart resolved = client.resolve(c);
    if (expectedDigest != null && resolved.digest() != null && !resolved.digest().equals(expectedDigest)) {
      throw mismatch(c, resolved, expectedDigest, resolved.digest(), "the repository now publishes");
    }
    if (resolved.digest() != null) {
      FetchedChart cached = cached(c, resolved.digest());
      if (cached != null) {
        return cached;
      }
    }
    Path tmp = download(resolved);
    try {
      String actual = Digests.of(tmp);
      if (resolved.digest() != null && !resolved.digest().equals(actual)) {
        throw CnaiException.refused(
            "chart " + c.describe() + through(c, resolved) + ": the downloaded archive has digest " + actual
                + ", but the repository says " + resolved.digest() + "; it was not kept",
            mirrored(c, resolved)
                ? "the mirror serves other bytes than its own index says; Refresh the mirror from upstream (a mirror never changes a digest) and try again"
                : "the download was corrupted or tampered with on the way; try again, and do not install it if it persists");
      }
      if (expectedDigest != null && !expectedDigest.equals(actual)) {
        throw mismatch(c, resolved, expectedDigest, actual, "the downloaded archive has");
      }
      Path target = pathFor(actual);
      moveIntoPlace(tmp, target);
      return new FetchedChart(c, actual, target);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** The cached archive with this digest, verified, or null (a corrupt file is removed). */
  private FetchedChart cached(ChartCoordinates c, String digest) {
    Path p = pathFor(digest);
    if (!Files.isRegularFile(p)) {
      return null;
    }
    if (Digests.of(p).equals(digest)) {
      return new FetchedChart(c, digest, p);
    }
    deleteQuietly(p);
    return null;
  }

  private Path download(ResolvedChart resolved) {
    try {
      Path tmpDir = root.resolve("tmp");
      Files.createDirectories(tmpDir);
      Path tmp = Files.createTempFile(tmpDir, resolved.coordinates().chart() + "-", ".tgz.part");
      try {
        client.download(resolved, tmp);
      } catch (RuntimeException e) {
        deleteQuietly(tmp);
        throw e;
      }
      return tmp;
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot write to the chart cache " + root + ": " + e.getMessage(),
          "check the permissions and free space there, or point CNAI_CACHE at another directory",
          e);
    }
  }

  private void moveIntoPlace(Path tmp, Path target) {
    try {
      Files.createDirectories(target.getParent());
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot write to the chart cache " + root + ": " + e.getMessage(),
          "check the permissions and free space there, or point CNAI_CACHE at another directory",
          e);
    }
  }

  private static CnaiException mismatch(ChartCoordinates c, ResolvedChart resolved, String expected, String actual, String source) {
    boolean mirrored = mirrored(c, resolved);
    return CnaiException.refused(
        "chart " + c.describe() + through(c, resolved) + ": digest mismatch: the lock expects " + expected + ", "
            + (mirrored ? source.replace("the repository", "the mirror") : source) + " " + actual,
        mirrored
            ? "the mirror serves another chart than the distribution pins; nothing was cached or installed. Refresh the mirror "
                + "from upstream (a mirror never changes a digest), or check that the mirrors file points at the right mirror"
            : "the chart was changed after it was locked; cnai will not install it. Find out why before re-locking "
                + "with 'cnai distro lock'");
  }

  /** True when the chart was resolved somewhere else than its upstream repository (a mirror). */
  private static boolean mirrored(ChartCoordinates c, ResolvedChart resolved) {
    return resolved != null && resolved.coordinates() != null && !c.repository().equals(resolved.coordinates().repository());
  }

  /** " through the mirror URL" when the chart came from a mirror, else "". */
  private static String through(ChartCoordinates c, ResolvedChart resolved) {
    if (!mirrored(c, resolved)) {
      return "";
    }
    return " through the mirror " + (resolved.downloadUrl() != null ? resolved.downloadUrl() : resolved.coordinates().repository());
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a leftover .part file is never handed out
    }
  }
}
