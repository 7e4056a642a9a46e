package io.cnai.installer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cnai.core.CnaiException;
import io.cnai.installer.verify.BundleVerifier;
import io.cnai.installer.verify.Match;
import io.cnai.installer.verify.SignerPolicy;
import io.cnai.installer.verify.VerificationRequest;
import io.cnai.installer.verify.VerificationResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** 'cnai verify': verify Sigstore signatures offline. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Verify Sigstore signatures offline against a trusted root.",
    subcommands = {VerifyCommand.Blob.class})
public final class VerifyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** 'cnai verify blob': one artifact and its Sigstore bundle, like 'cosign verify-blob'. */
  @Command(
      name = "blob",
      mixinStandardHelpOptions = true,
      versionProvider = VersionCommand.Provider.class,
      description = {
        "Verify one artifact against its Sigstore bundle (message signature or DSSE attestation).",
        "For a DSSE bundle the artifact is the attestation's subject."
      },
      footer = {
        "",
        "Examples:",
        "  cnai verify blob --bundle a.sigstore.json --artifact a.txt \\",
        "      --identity-regexp 'https://github.com/org/repo/.*' \\",
        "      --issuer https://token.actions.githubusercontent.com \\",
        "      --trusted-root trusted_root.json",
        "  cnai verify blob --bundle distribution.yaml.sigstore.json \\",
        "      --artifact distribution.yaml --key cnai.pub",
        "",
        "Exit codes: 0 verified, 2 bad input, 3 verification refused."
      })
  static final class Blob implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "The Sigstore bundle (.sigstore.json).")
    Path bundle;

    @Option(names = "--artifact", required = true, paramLabel = "FILE", description = "The signed artifact, or the attestation's subject.")
    Path artifact;

    @Option(names = "--identity", paramLabel = "SAN", description = "Expected certificate identity (exact).")
    String identity;

    @Option(names = "--identity-regexp", paramLabel = "REGEX", description = "Expected certificate identity (regular expression over the whole value).")
    String identityRegexp;

    @Option(names = "--issuer", paramLabel = "URL", description = "Expected OIDC issuer (exact).")
    String issuer;

    @Option(names = "--issuer-regexp", paramLabel = "REGEX", description = "Expected OIDC issuer (regular expression over the whole value).")
    String issuerRegexp;

    @Option(names = "--key", paramLabel = "FILE", description = "Verify with this PEM public key instead of a certificate identity.")
    Path key;

    @Option(
        names = "--trusted-root",
        paramLabel = "FILE",
        description = {
          "The Sigstore trusted_root.json to verify against.",
          "Required for certificate identities and for bundles with log entries or timestamps."
        })
    Path trustedRoot;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String output;

    @Override
    public Integer call() {
      if (!output.equals("text") && !output.equals("json")) {
        throw CnaiException.badInput(
            "--output must be text or json, not '" + output + "'", "pass --output text or --output json");
      }
      VerificationRequest request =
          new VerificationRequest(bundle, artifact, trustedRoot, policy());
      VerificationResult result = BundleVerifier.sigstore(Clock.systemUTC()).verify(request);
      if (output.equals("json")) {
        spec.commandLine().getOut().println(json(result));
      } else {
        spec.commandLine().getOut().println(result.summary());
      }
      spec.commandLine().getOut().flush();
      return 0;
    }

    private SignerPolicy policy() {
      boolean hasIdentity = identity != null || identityRegexp != null;
      boolean hasIssuer = issuer != null || issuerRegexp != null;
      if (key != null) {
        if (hasIdentity || hasIssuer) {
          throw CnaiException.badInput(
              "--key cannot be combined with --identity/--issuer",
              "verify a key-signed bundle with --key alone, a certificate bundle with --identity and"
                  + " --issuer");
        }
        return new SignerPolicy.PublicKey(key);
      }
      if (!hasIdentity && !hasIssuer) {
        throw CnaiException.badInput(
            "no signer given: pass --identity (or --identity-regexp) with --issuer (or"
                + " --issuer-regexp), or --key",
            "cnai never verifies a signature without saying who must have made it");
      }
      if (identity != null && identityRegexp != null) {
        throw CnaiException.badInput(
            "--identity and --identity-regexp are exclusive", "pass one of them");
      }
      if (issuer != null && issuerRegexp != null) {
        throw CnaiException.badInput("--issuer and --issuer-regexp are exclusive", "pass one of them");
      }
      if (!hasIdentity) {
        throw CnaiException.badInput(
            "--issuer needs --identity or --identity-regexp", "say which identity must have signed");
      }
      if (!hasIssuer) {
        throw CnaiException.badInput(
            "--identity needs --issuer or --issuer-regexp", "say which OIDC issuer vouched for it");
      }
      Match id = identity != null ? Match.exact(identity) : Match.regex(identityRegexp);
      Match iss = issuer != null ? Match.exact(issuer) : Match.regex(issuerRegexp);
      return new SignerPolicy.Keyless(id, iss);
    }

    private static String json(VerificationResult r) {
      ObjectMapper mapper = io.cnai.installer.json.Mappers.JSON;
      ObjectNode n = mapper.createObjectNode();
      n.put("verified", true);
      n.put("signer", r.signer());
      if (r.issuer() != null) {
        n.put("issuer", r.issuer());
      }
      n.put("content", r.content());
      n.put("artifactSha256", r.artifactSha256());
      if (r.logIndex().isPresent()) {
        n.put("logIndex", r.logIndex().getAsLong());
      }
      if (r.integratedTime() != null) {
        n.put("integratedTime", r.integratedTime().toString());
      }
      var times = n.putArray("timestamps");
      r.timestamps().forEach(t -> times.add(t.toString()));
      return n.toString();
    }
  }
}
