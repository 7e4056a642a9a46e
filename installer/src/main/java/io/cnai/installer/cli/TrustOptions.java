package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.installer.trust.DistributionTrust;
import io.cnai.installer.trust.TrustDecision;
import io.cnai.installer.trust.TrustPolicy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Who must have signed the distribution lockfile: a picocli mixin for install and upgrade,
 * independent of {@link StackOptions}. Use it as
 *
 * <pre>
 * {@literal @}Mixin TrustOptions trust;
 * ...
 * TrustDecision d = trust.verify(lockfile, spec.commandLine().getErr());   // before parsing it
 * Distribution dist = DistributionLoader.parse(lockfile.toString(), d.text());
 * </pre>
 *
 * Policy, first match wins: the flags, the {@value TrustPolicy#KEY_ENV} variable, the project's
 * release policy ({@value #POLICY_FILE} under the cnai root), else none (refused unless
 * --allow-unsigned-distribution).
 */
public final class TrustOptions {
  /** The project's release policy, relative to the cnai root. */
  public static final String POLICY_FILE = "distro/trust-policy.yaml";

  @Option(names = "--distribution-key", paramLabel = "PUB", description = "PEM public key that must have signed the distribution lockfile (default: $" + TrustPolicy.KEY_ENV + ", else the project's release policy).")
  Path key;

  @Option(names = "--distribution-identity", paramLabel = "SAN", description = "Certificate identity that must have signed the lockfile keylessly (with --distribution-issuer).")
  String identity;

  @Option(names = "--distribution-issuer", paramLabel = "URL", description = "OIDC issuer of --distribution-identity.")
  String issuer;

  @Option(names = "--distribution-trusted-root", paramLabel = "FILE", description = "Sigstore trusted_root.json for a keyless signer (default: the one 'cnai distro trust update' stored).")
  Path trustedRoot;

  @Option(names = "--allow-unsigned-distribution", description = "Go on when the lockfile has no signature bundle (or no signer is configured); the stack revision records it. A signature that fails is never allowed.")
  boolean allowUnsigned;

  /** The process environment; tests replace it. */
  Map<String, String> env = System.getenv();

  /** The policy these options, the environment and the project's release policy give. */
  public TrustPolicy policy() {
    return TrustPolicy.resolve(
        new TrustPolicy.Flags("--distribution-", key, identity, issuer, trustedRoot, allowUnsigned), env, projectPolicyFile());
  }

  /**
   * Verifies the lockfile's signature bundle before anything reads the lockfile, prints one line
   * (a warning when it goes on unverified) and returns the decision: parse its {@code text()} and
   * record its {@code record()} in the stack revision.
   *
   * @param lockfile the lockfile, or null for the newest release
   * @throws CnaiException exit 3 when refused, exit 2 when no signer is configured or a file is
   *     missing
   */
  public TrustDecision verify(Path lockfile, PrintWriter log) {
    Path file = lockfile != null ? lockfile : CnaiRoot.latestDistribution();
    TrustDecision d = DistributionTrust.sigstore(Clock.systemUTC()).check(file, policy());
    log.println(d.summary());
    log.flush();
    return d;
  }

  /**
   * Verifies the signature of the distribution the stack options name, before install, upgrade or
   * up read it; meanwhile the client's classes load, and Helm's native library when {@code
   * loadHelm}. An unsigned distribution the user allowed is added to {@code allowUnverified}, for
   * the revision.
   */
  void verifyDistribution(StackOptions stack, PrintWriter log, java.util.List<String> allowUnverified, boolean loadHelm) {
    io.cnai.installer.kube.ClusterAccess.warmUp(loadHelm ? io.cnai.installer.helm.HelmReleases::loadNativeLibrary : () -> { });
    verify(stack.distributionFile(), log).allowUnverified().ifPresent(allowUnverified::add);
  }

  /** The project's release policy file when the cnai root is known and the file exists, else null. */
  static Path projectPolicyFile() {
    Path root;
    try {
      root = CnaiRoot.find();
    } catch (CnaiException e) {
      return null;
    }
    Path p = root.resolve(POLICY_FILE);
    return Files.isRegularFile(p) ? p : null;
  }
}
