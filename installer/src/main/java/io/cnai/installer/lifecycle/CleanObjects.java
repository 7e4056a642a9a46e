package io.cnai.installer.lifecycle;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cnai.installer.json.Mappers;
import io.cnai.installer.plan.Canonical;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the last content comparisons found clean, per cluster: object uid to the resourceVersion it
 * had and the digest of the object cnai compared it with. Any write to an object gives it a new
 * resourceVersion, so an object whose uid, resourceVersion and desired digest are all unchanged
 * cannot have drifted since, and its server-side dry-run is skipped. A cache only: kept in
 * {@code $CNAI_CACHE/drift} (or {@code ~/.cache/cnai/drift}); without it every object is compared.
 */
final class CleanObjects {
  private final Path file;
  private final Map<String, String> before;
  private final Map<String, String> now = new ConcurrentHashMap<>();

  private CleanObjects(Path file, Map<String, String> before) {
    this.file = file;
    this.before = before;
  }

  /** The memo of the cluster at {@code server}; empty when there is none or it cannot be read. */
  static CleanObjects of(String server) {
    String cache = System.getProperty("cnai.cache", System.getenv("CNAI_CACHE"));
    Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "cnai");
    Path file = base.resolve("drift").resolve(Canonical.sha256(server.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(7, 23) + ".json");
    Map<String, String> before = Map.of();
    try {
      if (Files.isRegularFile(file)) {
        before = Mappers.JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {});
      }
    } catch (IOException | RuntimeException e) {
      // a cache: compare everything
    }
    return new CleanObjects(file, before);
  }

  /** A memo that remembers nothing (no cluster URL). */
  static CleanObjects none() {
    return new CleanObjects(null, Map.of());
  }

  private static String value(String resourceVersion, String desiredDigest) {
    return resourceVersion + " " + desiredDigest;
  }

  /** Whether the object was found clean at this resourceVersion against this desired object; remembered again if so. */
  boolean clean(String uid, String resourceVersion, String desiredDigest) {
    if (uid == null || resourceVersion == null) {
      return false;
    }
    boolean same = value(resourceVersion, desiredDigest).equals(before.get(uid));
    if (same) {
      now.put(uid, value(resourceVersion, desiredDigest));
    }
    return same;
  }

  /** The object compared clean. */
  void found(String uid, String resourceVersion, String desiredDigest) {
    if (uid != null && resourceVersion != null) {
      now.put(uid, value(resourceVersion, desiredDigest));
    }
  }

  /** Writes what this check found clean (only that: objects gone or drifted are forgotten). */
  void save() {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "drift", ".tmp");
      Mappers.JSON.writeValue(tmp.toFile(), new java.util.TreeMap<>(now));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // a cache: the next check compares everything
    }
  }
}
