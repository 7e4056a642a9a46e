package io.cnai.installer.trust;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the distribution check decided. The lockfile's bytes are kept: parse {@link #text()} (not the
 * file again) so that what is read is exactly what was verified.
 *
 * @param lockfile the lockfile checked
 * @param sha256 hex SHA-256 of its bytes
 * @param verified true when a signature of a trusted signer verified; false when the user allowed
 *     an unsigned (or unverifiable) distribution
 * @param signer who signed ("key sha256:..." or a certificate identity), or null when not verified
 * @param reason one line: how it was verified, or why it was allowed without verification
 */
public record TrustDecision(Path lockfile, String sha256, boolean verified, String signer, String reason, byte[] content) {

  public TrustDecision {
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The verified lockfile text: hand it to {@code DistributionLoader.parse(name, text)}. */
  public String text() {
    return new String(content, StandardCharsets.UTF_8);
  }

  /** What a stack revision records about the distribution's provenance. */
  public Map<String, String> record() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("distributionSha256", sha256);
    m.put("distributionTrust", verified ? "verified" : "unsigned-allowed");
    if (signer != null) {
      m.put("distributionSigner", signer);
    }
    m.put("distributionTrustReason", reason);
    return m;
  }

  /**
   * The entry for {@code StackRevision.allowUnverified} when the distribution went on unverified
   * (empty when it was verified).
   */
  public Optional<String> allowUnverified() {
    return verified ? Optional.empty() : Optional.of("distribution sha256:" + sha256 + " (" + reason + ")");
  }

  /** The line the CLI prints. */
  public String summary() {
    return verified
        ? "distribution " + lockfile + " verified: signed by " + signer + " (sha256:" + sha256 + ")"
        : "WARNING: distribution " + lockfile + " was NOT verified (" + reason
            + "); going on because --allow-unsigned-distribution was given (sha256:" + sha256 + ")";
  }
}
