package io.cnai.installer.trust;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.installer.verify.BundleVerifier;
import io.cnai.installer.verify.SignerPolicy;
import io.cnai.installer.verify.VerificationRequest;
import io.cnai.installer.verify.VerificationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The check install and upgrade run before reading anything else: the distribution lockfile's raw
 * bytes must carry a Sigstore signature ({@code <lockfile>.sigstore.json}) of a signer the {@link
 * TrustPolicy} accepts. Nothing here parses the lockfile; the caller parses {@link
 * TrustDecision#text()}, the bytes that were verified.
 */
public final class DistributionTrust {
  public static final String BUNDLE_SUFFIX = ".sigstore.json";

  private final BundleVerifier verifier;

  public DistributionTrust(BundleVerifier verifier) {
    this.verifier = verifier;
  }

  public static DistributionTrust sigstore(Clock clock) {
    return new DistributionTrust(BundleVerifier.sigstore(clock));
  }

  /** Where a lockfile's signature bundle lives: beside it, named {@code <file>.sigstore.json}. */
  public static Path bundleFor(Path lockfile) {
    return lockfile.resolveSibling(lockfile.getFileName() + BUNDLE_SUFFIX);
  }

  /** Checks the lockfile against the bundle beside it. */
  public TrustDecision check(Path lockfile, TrustPolicy policy) {
    return check(lockfile, bundleFor(lockfile), policy);
  }

  /**
   * Checks the lockfile against the given bundle.
   *
   * @throws CnaiException VERIFICATION (exit 3) when the bundle is missing (and unsigned lockfiles
   *     are not allowed) or no accepted signer's signature verifies; BAD_INPUT (exit 2) when the
   *     lockfile or a key is missing, or no signer is configured
   */
  public TrustDecision check(Path lockfile, Path bundle, TrustPolicy policy) {
    byte[] bytes = read(lockfile);
    String sha = sha256(bytes);
    if (!Files.exists(bundle)) {
      if (policy.allowUnsigned()) {
        return new TrustDecision(lockfile, sha, false, null, "no signature bundle " + bundle, bytes);
      }
      throw CnaiException.refused(
          "distribution " + lockfile + " is not signed: its signature bundle " + bundle + " does not exist",
          "put the bundle published with the release beside the lockfile; if you made this lockfile, sign it"
              + " with 'cnai distro sign " + lockfile + " --key KEY' and trust that key; to go on without"
              + " verification pass --allow-unsigned-distribution (it is recorded)");
    }
    if (policy.signers().isEmpty()) {
      if (policy.allowUnsigned()) {
        return new TrustDecision(lockfile, sha, false, null, "no signer configured, signature not checked", bytes);
      }
      throw CnaiException.badInput(
          "cannot check the signature of distribution " + lockfile + ": no trusted signer is configured",
          "name the signer: install and upgrade take --distribution-key PUB (or --distribution-identity with"
              + " --distribution-issuer), 'cnai distro verify' takes --key PUB (or --identity with --issuer); or set "
              + TrustPolicy.KEY_ENV + ", or add the project's release policy (distro/trust-policy.yaml, see"
              + " docs/trust.md); install's --allow-unsigned-distribution goes on without verification (recorded)");
    }
    List<String> refusals = new ArrayList<>();
    for (SignerPolicy signer : policy.signers()) {
      VerificationResult result;
      try {
        result = verifier.verify(new VerificationRequest(bundle, lockfile, trustedRoot(signer, policy), signer));
      } catch (CnaiException e) {
        if (e.kind() != ErrorKind.VERIFICATION) {
          throw e;
        }
        refusals.add(policy.signers().size() == 1 ? e.problem() : TrustPolicy.describe(signer) + ": " + e.problem());
        continue;
      }
      if (!result.artifactSha256().equalsIgnoreCase(sha)) {
        throw CnaiException.refused(
            "distribution " + lockfile + " changed while it was being verified",
            "make sure nothing writes the lockfile during install, then run again");
      }
      return new TrustDecision(lockfile, sha, true, result.signer(), result.summary(), bytes);
    }
    throw CnaiException.refused(
        "distribution " + lockfile + " does not carry a valid signature of a trusted signer ("
            + policy.describe() + "): " + String.join("; ", refusals),
        "the lockfile was changed after it was signed, or signed by someone else: restore the released"
            + " file and its " + bundle.getFileName() + "; if you changed it on purpose, sign it again with"
            + " 'cnai distro sign " + lockfile + " --key KEY' and trust that key");
  }

  private static Path trustedRoot(SignerPolicy signer, TrustPolicy policy) {
    if (policy.trustedRoot() != null) {
      if (!Files.isRegularFile(policy.trustedRoot())) {
        throw CnaiException.badInput(
            "trusted root " + policy.trustedRoot() + " does not exist", "pass the Sigstore trusted_root.json");
      }
      return policy.trustedRoot();
    }
    if (signer instanceof SignerPolicy.PublicKey) {
      return null; // a key-signed bundle without log entries needs no root; one with entries is refused without it
    }
    Path stored = TrustStore.trustedRoot();
    if (Files.isRegularFile(stored)) {
      return stored;
    }
    throw CnaiException.badInput(
        "a keyless signer needs a Sigstore trusted root, and none is stored in " + stored,
        "run 'cnai distro trust update' once online, or pass --distribution-trusted-root FILE");
  }

  private static byte[] read(Path lockfile) {
    try {
      return Files.readAllBytes(lockfile);
    } catch (NoSuchFileException e) {
      throw CnaiException.badInput("distribution " + lockfile + " does not exist", "pass the lockfile with --distribution");
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read distribution " + lockfile + ": " + e.getMessage(), "check the file");
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
