package io.cnai.installer.trust;

import dev.sigstore.tuf.RootProvider;
import dev.sigstore.tuf.SigstoreTufClient;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Refreshes the Sigstore trusted root through TUF (sigstore-java's client: root rotation, expiry,
 * rollback and signature checks of the TUF metadata) and stores the checked {@code
 * trusted_root.json} in {@link TrustStore#dir()}. Online only. The second door to sigstore-java,
 * beside {@code io.cnai.installer.verify}: it only fetches, it does not verify bundles.
 */
public final class TrustedRootUpdater {
  /** Which TUF repository: Sigstore's public-good instance, its staging instance, or a mirror. */
  public record Source(String name, URI mirror, Path initialRoot, boolean useStaging) {
    public static Source publicGood() {
      return new Source("public-good", null, null, false);
    }

    public static Source stagingInstance() {
      return new Source("staging", null, null, true);
    }

    /** A mirror of the public-good repository, or of another one when its initial root.json is given. */
    public static Source mirror(URI mirror, Path initialRoot) {
      return new Source("mirror", mirror, initialRoot, false);
    }
  }

  private final Path dir;

  public TrustedRootUpdater(Path dir) {
    this.dir = dir;
  }

  /**
   * Fetches and checks the TUF metadata and the trusted root, then replaces {@code
   * dir/trusted_root.json} atomically.
   *
   * @return the stored trusted root
   * @throws CnaiException FAILURE (exit 1) when the repository cannot be reached or its metadata
   *     does not verify; BAD_INPUT for an unreadable initial root
   */
  public Path update(Source source) {
    Path cache = dir.resolve("tuf").resolve(source.name());
    SigstoreTufClient client;
    try {
      Files.createDirectories(cache);
      SigstoreTufClient.Builder b = SigstoreTufClient.builder().cacheValidity(Duration.ZERO).tufCacheLocation(cache);
      if (source.mirror() != null) {
        RootProvider root;
        if (source.initialRoot() != null) {
          if (!Files.isRegularFile(source.initialRoot())) {
            throw CnaiException.badInput(
                "TUF root " + source.initialRoot() + " does not exist", "pass the repository's initial root.json");
          }
          root = RootProvider.fromFile(source.initialRoot());
        } else {
          root = RootProvider.fromResource(SigstoreTufClient.PUBLIC_GOOD_ROOT_RESOURCE);
        }
        b.tufMirror(source.mirror(), root);
      } else if (source.useStaging()) {
        b.useStagingInstance();
      } else {
        b.usePublicGoodInstance();
      }
      client = b.build();
    } catch (IOException e) {
      throw CnaiException.failure("cannot prepare the TUF cache " + cache + ": " + e.getMessage(), "check that the folder is writable", e);
    }
    try {
      client.forceUpdate();
      if (client.getSigstoreTrustedRoot() == null) {
        throw new IllegalStateException("the repository has no trusted root target");
      }
    } catch (Exception e) {
      throw CnaiException.failure(
          "cannot refresh the Sigstore trusted root from the " + source.name() + " TUF repository"
              + (source.mirror() != null ? " " + source.mirror() : "") + ": " + rootCause(e),
          "this needs network access to the TUF repository: run it again online (or through a mirror with"
              + " --mirror); offline, copy a trusted_root.json you obtained and checked elsewhere to "
              + dir.resolve(TrustStore.TRUSTED_ROOT) + ", or pass it to each command (--trusted-root,"
              + " --distribution-trusted-root)",
          e);
    }
    Path fetched = fetchedTarget(cache);
    if (fetched == null) {
      throw CnaiException.failure(
          "the TUF update succeeded but no " + TrustStore.TRUSTED_ROOT + " was written under " + cache,
          "report this: sigstore-java changed its cache layout");
    }
    Path target = dir.resolve(TrustStore.TRUSTED_ROOT);
    try {
      Path tmp = Files.createTempFile(dir, TrustStore.TRUSTED_ROOT, ".tmp");
      Files.copy(fetched, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw CnaiException.failure("cannot store " + target + ": " + e.getMessage(), "check that the folder is writable", e);
    }
    return target;
  }

  /** The target the TUF client stored: targets/trusted_root.json (or a hash-prefixed name). */
  private static Path fetchedTarget(Path cache) {
    Path plain = cache.resolve("targets").resolve(TrustStore.TRUSTED_ROOT);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    try (var files = Files.walk(cache)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith("." + TrustStore.TRUSTED_ROOT))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
