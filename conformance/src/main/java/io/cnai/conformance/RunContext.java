package io.cnai.conformance;

import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the step definitions of one run share: the client, the target's capabilities, the deployed
 * stack revision, and the evidence each scenario writes. Cucumber makes the glue objects itself, so
 * the runner hands this over through {@link #current()}; runs are serialised by the runner.
 */
public final class RunContext {
  private static volatile RunContext current;

  private final KubernetesClient client;
  private final Capabilities capabilities;
  private final Optional<StackRevision> stack;
  private final Path releasesDir;
  private final Clock clock;
  private final Map<String, ScenarioWorld> worlds = new LinkedHashMap<>();
  private ScenarioWorld active;

  RunContext(KubernetesClient client, Capabilities capabilities, Optional<StackRevision> stack, Path releasesDir, Clock clock) {
    this.client = client;
    this.capabilities = capabilities;
    this.stack = stack;
    this.releasesDir = releasesDir;
    this.clock = clock;
  }

  public static RunContext current() {
    RunContext c = current;
    if (c == null) {
      throw new IllegalStateException("the conformance steps run only inside ConformanceRunner.run");
    }
    return c;
  }

  static void install(RunContext c) {
    current = c;
  }

  public KubernetesClient client() {
    return client;
  }

  public Capabilities capabilities() {
    return capabilities;
  }

  public Optional<StackRevision> stack() {
    return stack;
  }

  /** The lockfiles' folder, or null when none was given. */
  public Path releasesDir() {
    return releasesDir;
  }

  public Clock clock() {
    return clock;
  }

  /** Starts the world of a scenario, keyed by its location ("path:line"). */
  public synchronized ScenarioWorld begin(String location) {
    active = new ScenarioWorld(client, clock);
    worlds.put(location, active);
    return active;
  }

  /** The world of the scenario now running. */
  public synchronized ScenarioWorld world() {
    if (active == null) {
      throw new IllegalStateException("no scenario is running");
    }
    return active;
  }

  synchronized Map<String, ScenarioWorld> worlds() {
    return Map.copyOf(worlds);
  }
}
