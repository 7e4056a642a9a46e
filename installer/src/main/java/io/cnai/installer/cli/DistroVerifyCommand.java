package io.cnai.installer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cnai.core.CnaiException;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.installer.trust.DistributionTrust;
import io.cnai.installer.trust.TrustDecision;
import io.cnai.installer.trust.TrustPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** 'cnai distro verify': the check install runs, on its own. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a distribution lockfile's Sigstore signature over its raw bytes, then validate it.",
      "Signer: --key, or --identity with --issuer; without them $" + TrustPolicy.KEY_ENV + ", else the",
      "project's release policy (" + TrustOptions.POLICY_FILE + ")."
    },
    footer = {
      "",
      "Examples:",
      "  cnai distro verify distro/releases/2026.11/distribution.yaml --key cnai.pub",
      "  cnai distro verify distribution.yaml \\",
      "      --identity https://github.com/ORG/REPO/.github/workflows/release.yml@refs/tags/v2026.11.0 \\",
      "      --issuer https://token.actions.githubusercontent.com --trusted-root trusted_root.json",
      "",
      "Exit codes: 0 verified, 2 bad input, 3 verification refused."
    })
public final class DistroVerifyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Lockfile (default: the newest release).")
  Path file;

  @Option(names = "--key", paramLabel = "PUB", description = "PEM public key that must have signed.")
  Path key;

  @Option(names = "--identity", paramLabel = "SAN", description = "Certificate identity that must have signed (keyless).")
  String identity;

  @Option(names = "--issuer", paramLabel = "URL", description = "OIDC issuer of --identity.")
  String issuer;

  @Option(names = "--bundle", paramLabel = "FILE", description = "The Sigstore bundle (default: FILE.sigstore.json).")
  Path bundle;

  @Option(names = "--trusted-root", paramLabel = "FILE", description = "Sigstore trusted_root.json (keyless; default: the one 'cnai distro trust update' stored).")
  Path trustedRoot;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
  String output;

  /** The process environment; tests replace it. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() {
    if (!output.equals("text") && !output.equals("json")) {
      throw CnaiException.badInput("--output must be text or json, not '" + output + "'", "pass --output text or --output json");
    }
    Path lockfile = DistroCommand.fileOrLatest(file);
    TrustPolicy policy =
        TrustPolicy.resolve(
            new TrustPolicy.Flags("--", key, identity, issuer, trustedRoot, false), env, TrustOptions.projectPolicyFile());
    Path b = bundle != null ? bundle : DistributionTrust.bundleFor(lockfile);
    TrustDecision d = DistributionTrust.sigstore(Clock.systemUTC()).check(lockfile, b, policy);
    Distribution dist = DistributionLoader.parse(lockfile.toString(), d.text());
    PrintWriter w = spec.commandLine().getOut();
    if (output.equals("json")) {
      ObjectNode n = io.cnai.installer.json.Mappers.JSON.createObjectNode();
      n.put("verified", true);
      n.put("file", lockfile.toString());
      n.put("distribution", dist.name());
      n.put("version", dist.version());
      n.put("sha256", d.sha256());
      n.put("signer", d.signer());
      n.put("policy", policy.describe());
      w.println(n);
    } else {
      w.printf("verified: %s (%s %s, sha256:%s) signed by %s%n", lockfile, dist.name(), dist.version(), d.sha256(), d.signer());
    }
    w.flush();
    return 0;
  }
}
