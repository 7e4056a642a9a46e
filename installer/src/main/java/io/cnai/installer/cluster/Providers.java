package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.sim.SimProvider;
import java.util.List;

/** The cluster providers cnai has, by the name used with {@code --provider}. */
public final class Providers {
  /** Providers that exist today; kind and k3s join here. */
  public static final List<String> NAMES = List.of("sim", "existing");

  private Providers() {}

  public static ClusterProvider of(String name) {
    return switch (name) {
      case "sim" -> SimProvider.fromEnvironment();
      case "existing" -> ExistingProvider.fromEnvironment();
      case "kind", "k3s" ->
          throw CnaiException.badInput(
              "provider '" + name + "' is not available yet", "use one of " + NAMES);
      default -> throw CnaiException.badInput("unknown provider '" + name + "'", "use one of " + NAMES);
    };
  }
}
