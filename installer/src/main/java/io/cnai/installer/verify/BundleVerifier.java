package io.cnai.installer.verify;

import java.time.Clock;

/**
 * Verifies a Sigstore bundle offline. The one door to sigstore-java: nothing outside this package
 * imports it.
 */
public interface BundleVerifier {
  /**
   * Verifies the request.
   *
   * @return what was verified
   * @throws io.cnai.core.CnaiException of kind VERIFICATION with the reason when the bundle is
   *     refused, of kind BAD_INPUT when a file is missing or unreadable
   */
  VerificationResult verify(VerificationRequest request);

  /** The verifier cnai uses: sigstore-java plus cnai's own checks of the client specification. */
  static BundleVerifier sigstore(Clock clock) {
    return new SigstoreBundleVerifier(clock);
  }
}
