package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.installer.trust.TrustStore;
import io.cnai.installer.trust.TrustedRootUpdater;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** 'cnai distro trust update': refresh the Sigstore trusted root through TUF (online). */
@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    description = "Manage the trust material cnai verifies distributions with.",
    subcommands = {DistroTrustCommand.Update.class})
public final class DistroTrustCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "Fetch Sigstore's trusted root through its TUF repository (checked: signatures, versions, expiry)",
        "and store it as trusted_root.json in the trust folder (default ~/.cache/cnai/trust), where",
        "keyless distribution checks find it. Needs network access."
      },
      footer = {"", "Exit codes: 0 updated, 1 failure (offline, or the TUF metadata does not verify), 2 bad input."})
  static final class Update implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Trust folder (default: ~/.cache/cnai/trust).")
    Path dir;

    @Option(names = "--staging", description = "Use Sigstore's staging instance.")
    boolean staging;

    @Option(names = "--mirror", paramLabel = "URL", description = "A mirror of the TUF repository.")
    String mirror;

    @Option(names = "--tuf-root", paramLabel = "FILE", description = "Initial TUF root.json for --mirror (default: the public-good root shipped with cnai).")
    Path tufRoot;

    @Override
    public Integer call() {
      if (staging && mirror != null) {
        throw CnaiException.badInput("--staging and --mirror are exclusive", "pass one of them");
      }
      if (tufRoot != null && mirror == null) {
        throw CnaiException.badInput("--tuf-root needs --mirror", "pass the mirror the root belongs to");
      }
      TrustedRootUpdater.Source source =
          mirror != null
              ? TrustedRootUpdater.Source.mirror(uri(mirror), tufRoot)
              : staging ? TrustedRootUpdater.Source.stagingInstance() : TrustedRootUpdater.Source.publicGood();
      Path stored = new TrustedRootUpdater(dir != null ? dir : TrustStore.dir()).update(source);
      spec.commandLine().getOut().println("trusted root updated from the " + source.name() + " TUF repository: " + stored);
      spec.commandLine().getOut().flush();
      return 0;
    }

    private static URI uri(String s) {
      try {
        URI u = new URI(s);
        if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
          throw new URISyntaxException(s, "not an http(s) URL");
        }
        return u;
      } catch (URISyntaxException e) {
        throw CnaiException.badInput("--mirror '" + s + "' is not a URL: " + e.getReason(), "pass https://HOST/PATH");
      }
    }
  }
}
