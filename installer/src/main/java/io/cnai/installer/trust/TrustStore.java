package io.cnai.installer.trust;

import java.nio.file.Path;

/**
 * Where cnai keeps trust material it fetched: {@code ~/.cache/cnai/trust} (the system property
 * {@code cnai.trust.dir} overrides it). {@code trusted_root.json} there is the Sigstore trusted root
 * that 'cnai distro trust update' last fetched and checked through TUF.
 */
public final class TrustStore {
  public static final String TRUSTED_ROOT = "trusted_root.json";

  private TrustStore() {}

  public static Path dir() {
    String prop = System.getProperty("cnai.trust.dir");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "cnai", "trust");
  }

  /** The trusted root stored by the last update (it may not exist). */
  public static Path trustedRoot() {
    return dir().resolve(TRUSTED_ROOT);
  }
}
