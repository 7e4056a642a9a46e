package io.cnai.installer.trust;

import io.cnai.core.CnaiException;
import io.cnai.installer.verify.Match;
import io.cnai.installer.verify.SignerPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Who may sign a distribution lockfile: one or more signers (any one suffices, so that a key can be
 * rotated), the Sigstore trusted root for keyless signers, whether a lockfile without a signature
 * bundle may be used anyway, and where this policy came from (for messages and the stack record).
 *
 * <p>The policy never comes from the lockfile itself: a file cannot vouch for its own signer.
 *
 * @param signers accepted signers; empty when nothing is configured
 * @param trustedRoot the trusted_root.json for keyless signers (and key-signed bundles with log
 *     entries), or null to use the one that 'cnai distro trust update' stored
 * @param allowUnsigned true only when the user asked for --allow-unsigned-distribution
 * @param source where the signers came from, e.g. "--distribution-key" or a policy file
 */
public record TrustPolicy(List<SignerPolicy> signers, Path trustedRoot, boolean allowUnsigned, String source) {
  /** The environment variable naming the PEM public key that must have signed distributions. */
  public static final String KEY_ENV = "CNAI_DISTRIBUTION_KEY";

  public TrustPolicy {
    signers = List.copyOf(signers);
    Objects.requireNonNull(source, "source");
  }

  /**
   * Flags a command was given; any may be null.
   *
   * @param prefix how the command spells its flags: "--distribution-" for install, "--" for 'cnai
   *     distro verify' (used in messages)
   */
  public record Flags(String prefix, Path key, String identity, String issuer, Path trustedRoot, boolean allowUnsigned) {}

  /** Signed by the holder of this PEM public key. */
  public static TrustPolicy key(Path publicKey, String source) {
    return new TrustPolicy(List.of(new SignerPolicy.PublicKey(publicKey)), null, false, source);
  }

  /** Signed keylessly by this certificate identity, vouched for by this OIDC issuer. */
  public static TrustPolicy keyless(Match identity, Match issuer, Path trustedRoot, String source) {
    return new TrustPolicy(List.of(new SignerPolicy.Keyless(identity, issuer)), trustedRoot, false, source);
  }

  /** No signer configured. */
  public static TrustPolicy none() {
    return new TrustPolicy(List.of(), null, false, "no signer configured");
  }

  public TrustPolicy withAllowUnsigned(boolean allow) {
    return new TrustPolicy(signers, trustedRoot, allow, source);
  }

  public TrustPolicy withTrustedRoot(Path root) {
    return root == null ? this : new TrustPolicy(signers, root, allowUnsigned, source);
  }

  /**
   * The policy in force, first match wins: the flags (--distribution-key, or
   * --distribution-identity with --distribution-issuer), the {@value #KEY_ENV} variable, the
   * project's release policy file when it exists, else no signer.
   *
   * @param env the process environment (tests pass their own)
   * @param policyFile the project's release policy file, or null when there is no project
   */
  public static TrustPolicy resolve(Flags flags, Map<String, String> env, Path policyFile) {
    TrustPolicy p = fromFlags(flags);
    if (p == null) {
      String key = env.get(KEY_ENV);
      if (key != null && !key.isBlank()) {
        p = key(Path.of(key.trim()), KEY_ENV);
      } else if (policyFile != null && Files.isRegularFile(policyFile)) {
        p = TrustPolicyFile.load(policyFile);
      } else {
        p = none();
      }
    }
    return p.withTrustedRoot(flags.trustedRoot()).withAllowUnsigned(flags.allowUnsigned());
  }

  private static TrustPolicy fromFlags(Flags f) {
    if (f.key() != null) {
      if (f.identity() != null || f.issuer() != null) {
        throw CnaiException.badInput(
            f.prefix() + "key cannot be combined with " + f.prefix() + "identity/" + f.prefix() + "issuer",
            "trust either a key or a keyless certificate identity, not both");
      }
      return key(f.key(), f.prefix() + "key");
    }
    if (f.identity() == null && f.issuer() == null) {
      return null;
    }
    if (f.identity() == null || f.issuer() == null) {
      throw CnaiException.badInput(
          f.prefix() + "identity and " + f.prefix() + "issuer go together",
          "pass both: the certificate identity that must have signed and its OIDC issuer");
    }
    return keyless(Match.exact(f.identity()), Match.exact(f.issuer()), null, f.prefix() + "identity");
  }

  /** One line naming the accepted signers and where they came from. */
  public String describe() {
    if (signers.isEmpty()) {
      return source;
    }
    return signers.stream().map(TrustPolicy::describe).collect(Collectors.joining(" or "))
        + " (from " + source + ")";
  }

  static String describe(SignerPolicy s) {
    if (s instanceof SignerPolicy.PublicKey k) {
      return "key " + k.keyFile();
    }
    SignerPolicy.Keyless k = (SignerPolicy.Keyless) s;
    return "identity " + show(k.identity()) + " issued by " + show(k.issuer());
  }

  private static String show(Match m) {
    return m.regex() ? "/" + m.value() + "/" : m.value();
  }
}
