package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.installer.trust.DistributionTrust;
import io.cnai.installer.trust.TrustDecision;
import io.cnai.installer.trust.TrustPolicy;
import io.cnai.installer.verify.KeyPairs;
import io.cnai.installer.verify.KeySigner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** 'cnai distro sign': sign a lockfile with a local key (a Sigstore bundle without log entry). */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a distribution lockfile with an ECDSA P-256 key (offline): writes FILE.sigstore.json,",
      "a Sigstore bundle v0.3 with a public-key hint and a signature over the file's bytes.",
      "The lockfile is validated first; the bundle is verified with the public key after writing."
    },
    footer = {
      "",
      "Example:",
      "  cnai distro sign distro/releases/2026.11/distribution.yaml --key ~/.config/cnai/keys/cnai.key",
      "",
      "Exit codes: 0 signed, 1 failure, 2 bad input."
    })
public final class DistroSignCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Lockfile (default: the newest release).")
  Path file;

  @Option(names = "--key", required = true, paramLabel = "KEY", description = "PEM PKCS#8 private key (from 'cnai distro keygen').")
  Path key;

  @Option(names = "--pub", paramLabel = "PUB", description = "Its public key (default: KEY with .pub instead of .key).")
  Path pub;

  @Option(names = "--bundle", paramLabel = "OUT", description = "Where to write the bundle (default: FILE.sigstore.json).")
  Path bundle;

  @Override
  public Integer call() {
    Path lockfile = DistroCommand.fileOrLatest(file);
    Path publicKey = pub != null ? pub : defaultPub(key);
    KeyPair pair = KeyPairs.read(key, publicKey);
    Distribution d = DistributionLoader.load(lockfile);
    Path out = bundle != null ? bundle : DistributionTrust.bundleFor(lockfile);
    new KeySigner(pair).sign(lockfile, out);
    TrustDecision check =
        DistributionTrust.sigstore(Clock.systemUTC()).check(lockfile, out, TrustPolicy.key(publicKey, "--pub"));
    PrintWriter w = spec.commandLine().getOut();
    w.printf("signed %s (%s %s, sha256:%s) with key sha256:%s%n", lockfile, d.name(), d.version(), check.sha256(),
        DistroKeygenCommand.fingerprint(pair));
    w.println("bundle: " + out);
    w.println("verify: cnai distro verify " + lockfile + (bundle != null ? " --bundle " + out : "") + " --key " + publicKey);
    w.flush();
    return 0;
  }

  static Path defaultPub(Path key) {
    String n = key.getFileName().toString();
    if (!n.endsWith(".key")) {
      throw CnaiException.badInput(
          "cannot guess the public key of " + key + " (its name does not end in .key)", "pass --pub PUB");
    }
    return key.resolveSibling(n.substring(0, n.length() - 4) + ".pub");
  }
}
