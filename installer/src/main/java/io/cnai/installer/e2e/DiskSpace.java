package io.cnai.installer.e2e;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The free disk {@code cnai up} (the starter stack) needs, said before it starts: a cold run once
 * filled a disk with 11 GB free while the node unpacked the 3.4 GiB sample-pipelines image, and the
 * kubelet evicted the pods (docs/e2e.md, "disk cnai up needs"). The sizes are those measured there:
 * the samples' Python environment and its compressed layers, JupyterLab's, and the cluster's copies
 * (its registry's, the node's, and the node's unpacked one).
 */
public final class DiskSpace {
  /** One part of what is written, where, and about how many bytes. */
  public record Need(String what, Path where, long bytes) {}

  static final long GB = 1_000_000_000L;
  /** The samples' environment (6.6 GB) and its compressed layers in the image cache (3.5 GB). */
  static final long SAMPLES_ENV = 10_100_000_000L;
  /** JupyterLab's environment (0.6 GB) and its layers (0.4 GB). */
  static final long JUPYTER_ENV = 1_000_000_000L;
  /** A new local cluster: the registry's copy of both images (3.9 GB), the node's (3.9 GB) and the node's unpacked one (7.2 GB). */
  static final long CLUSTER = 15_000_000_000L;
  /** Room left over for logs, the cluster's database and the kubelet's eviction threshold. */
  static final long MARGIN = 1_000_000_000L;

  private DiskSpace() {}

  /**
   * What {@code cnai up} writes: into {@code cache} ({@code ~/.cache}) the Python environments
   * unless those of the current lock files are there already, into {@code home} ({@code ~/.cnai})
   * a new cluster.
   */
  public static List<Need> starter(Path root, Path cache, Path home) {
    List<Need> needs = new ArrayList<>();
    Path venvs = cache.resolve("cnai").resolve("venv");
    if (!venvBuilt(venvs, root.resolve("sample-pipelines/requirements.txt"), "py")) {
      needs.add(new Need("the sample-pipelines Python environment and image layers (first use)", venvs, SAMPLES_ENV));
    }
    if (!venvBuilt(venvs, root.resolve("education/jupyterlab/requirements.txt"), "jupyterlab-")) {
      needs.add(new Need("the JupyterLab environment and image layers (first use)", venvs, JUPYTER_ENV));
    }
    needs.add(new Need("the cluster's registry and node (both images, compressed and unpacked)", home.resolve("clusters"), CLUSTER));
    return needs;
  }

  /**
   * Why the images cannot be built from {@code cache}, or null: the JupyterLab image keeps its Python
   * environment at the path it has here (its scripts name it), and JupyterLab's pods mount a folder
   * of their own at /tmp, which would hide an environment under /tmp.
   */
  public static String misplacedCache(Path cache) {
    Path c = cache.toAbsolutePath().normalize();
    return c.startsWith("/tmp") ? "the cache " + c + " ($XDG_CACHE_HOME, else ~/.cache) lies under /tmp, which JupyterLab's pods "
        + "mount a folder of their own over, hiding the Python environment the image keeps there" : null;
  }

  /**
   * What is short, as one message per file system where the needs add up to more than is free
   * (less {@link #MARGIN}); empty when everything fits.
   */
  public static List<String> shortfalls(List<Need> needs) {
    Map<FileStore, List<Need>> byStore = new LinkedHashMap<>();
    Map<FileStore, Path> where = new LinkedHashMap<>();
    for (Need n : needs) {
      Path existing = nearestExisting(n.where());
      try {
        FileStore store = Files.getFileStore(existing);
        byStore.computeIfAbsent(store, s -> new ArrayList<>()).add(n);
        where.putIfAbsent(store, existing);
      } catch (IOException e) {
        // a file system that cannot be asked: nothing to say about it
      }
    }
    List<String> out = new ArrayList<>();
    for (var e : byStore.entrySet()) {
      long need = e.getValue().stream().mapToLong(Need::bytes).sum() + MARGIN;
      long free;
      try {
        free = e.getKey().getUsableSpace();
      } catch (IOException x) {
        continue;
      }
      if (free < need) {
        StringBuilder parts = new StringBuilder();
        for (Need n : e.getValue()) {
          parts.append("; ").append(gb(n.bytes())).append(' ').append(n.what()).append(" under ").append(n.where());
        }
        out.add(gb(free) + " free on the file system of " + where.get(e.getKey()) + ", about " + gb(need) + " needed (with "
            + gb(MARGIN) + " to spare" + parts + ")");
      }
    }
    return out;
  }

  /** Whether {@code venvs} holds an environment named {@code <prefix>…-<first 16 hex of the lock file's SHA-256>}, as the stage scripts name it. */
  static boolean venvBuilt(Path venvs, Path lock, String prefix) {
    if (!Files.isRegularFile(lock) || !Files.isDirectory(venvs)) {
      return false;
    }
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(lock))).substring(0, 16);
    } catch (IOException | NoSuchAlgorithmException e) {
      return false;
    }
    try (Stream<Path> s = Files.list(venvs)) {
      return s.map(p -> p.getFileName().toString())
          .anyMatch(n -> n.startsWith(prefix) && n.endsWith("-" + sha));
    } catch (IOException e) {
      return false;
    }
  }

  private static Path nearestExisting(Path p) {
    Path q = p.toAbsolutePath();
    while (q != null && !Files.exists(q)) {
      q = q.getParent();
    }
    return q == null ? Path.of("/") : q;
  }

  static String gb(long bytes) {
    return String.format(Locale.ROOT, "%.1f GB", bytes / (double) GB);
  }
}
