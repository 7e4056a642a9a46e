package io.cnai.installer.cli;

import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.Providers;
import picocli.CommandLine.Option;

/** {@code --provider}: which kind of cluster; the registry in {@link Providers} says which exist. */
public final class ProviderOption {
  /** The help of --provider. */
  static final String HELP = "Cluster provider: ${COMPLETION-CANDIDATES}.";

  @Option(names = "--provider", paramLabel = "NAME", defaultValue = "sim", description = HELP + " Default: ${DEFAULT-VALUE}.",
      completionCandidates = Names.class)
  String name;

  ClusterProvider provider() {
    return Providers.of(name);
  }

  /** The registered provider names, for the help text. */
  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Providers.names().iterator();
    }
  }
}
