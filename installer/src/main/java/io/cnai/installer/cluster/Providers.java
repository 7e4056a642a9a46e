package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.sim.SimProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of cluster providers, by the name used with {@code --provider}. Adding a provider
 * is one class implementing {@link ClusterProvider} plus one line here; nothing else compares
 * provider names.
 */
public final class Providers {
  private static final Map<String, Supplier<ClusterProvider>> REGISTERED = new LinkedHashMap<>();

  /** Names users may know from other tools, not available yet. */
  private static final List<String> PLANNED = List.of("kind", "k3s");

  static {
    REGISTERED.put("sim", SimProvider::fromEnvironment);
    REGISTERED.put("existing", ExistingProvider::fromEnvironment);
    REGISTERED.put("local", io.cnai.installer.cluster.sim.LocalProvider::fromEnvironment);
  }

  private Providers() {}

  /** The registered names, in registration order. */
  public static List<String> names() {
    return List.copyOf(REGISTERED.keySet());
  }

  /** The registered names for help texts: "sim or existing". */
  public static String described() {
    List<String> n = names();
    return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.get(n.size() - 1);
  }

  public static ClusterProvider of(String name) {
    Supplier<ClusterProvider> p = REGISTERED.get(name);
    if (p != null) {
      return p.get();
    }
    if (PLANNED.contains(name)) {
      throw CnaiException.badInput("provider '" + name + "' is not available yet", "use one of " + names());
    }
    throw CnaiException.badInput("unknown provider '" + name + "'", "use one of " + names());
  }
}
