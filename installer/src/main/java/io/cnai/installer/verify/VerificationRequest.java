package io.cnai.installer.verify;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One verification: a Sigstore bundle, the artifact it is about (for a DSSE bundle, the subject of
 * the in-toto statement), the trusted root to verify against (may be null only for a public-key
 * bundle without transparency log entries or timestamps) and who must have signed.
 */
public record VerificationRequest(Path bundle, Path artifact, Path trustedRoot, SignerPolicy policy) {
  public VerificationRequest {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(policy, "policy");
  }
}
