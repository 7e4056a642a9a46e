package io.cnai.conformance;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The state of one scenario: its own namespace (made on first use, deleted after the scenario),
 * cluster-scoped objects it made (deleted after it, newest first), and the evidence lines it wrote.
 */
public final class ScenarioWorld {
  /** Set in the in-cluster runner's pod to the run's name; scenario namespaces then carry {@link #RUNNER_LABEL}. */
  public static final String RUNNER_ENV = "CNAI_CONFORMANCE_RUNNER";
  public static final String RUNNER_LABEL = "cnai.io/conformance-runner";
  private final KubernetesClient client;
  private final Clock clock;
  private final List<String> evidence = new ArrayList<>();
  private final Deque<HasMetadata> clusterScoped = new ArrayDeque<>();
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, Object> values = new HashMap<>();

  ScenarioWorld(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Records what was checked and what was seen; it goes into the evidence files. */
  public void evidence(String line) {
    evidence.add(line);
  }

  public List<String> evidence() {
    return List.copyOf(evidence);
  }

  /** A fresh namespace for this scenario, labelled as conformance-owned; deleted after it. */
  public String newNamespace(String hint) {
    String name = "cnai-conf-" + hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    // run in the cluster, the namespace also names the run, whose cleanup removes it if the run is cut short
    String runner = System.getenv(RUNNER_ENV);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("cnai.io/conformance", "true")
        .addToLabels(runner == null || runner.isBlank() ? Map.of() : Map.of(RUNNER_LABEL, runner))
        .endMetadata().build()).create();
    namespaces.add(name);
    evidence("created namespace " + name);
    return name;
  }

  /** The scenario's first namespace (made on first call). */
  public String namespace() {
    return namespaces.isEmpty() ? newNamespace("t") : namespaces.get(0);
  }

  /** Remembers a cluster-scoped object to delete after the scenario. */
  public <T extends HasMetadata> T ownClusterScoped(T object) {
    clusterScoped.push(object);
    return object;
  }

  public void put(String key, Object value) {
    values.put(key, value);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(String key) {
    Object v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("scenario has no '" + key + "': a Given step is missing");
    }
    return (T) v;
  }

  @SuppressWarnings("unchecked")
  public <T> T getOrDefault(String key, T fallback) {
    Object v = values.get(key);
    return v == null ? fallback : (T) v;
  }

  public Clock clock() {
    return clock;
  }

  /** Deletes what the scenario made; errors are recorded, not thrown. */
  public void cleanup() {
    while (!clusterScoped.isEmpty()) {
      HasMetadata o = clusterScoped.pop();
      try {
        client.resource(o).delete();
      } catch (RuntimeException e) {
        evidence("cleanup: could not delete " + o.getKind() + " " + o.getMetadata().getName() + ": " + e.getMessage());
      }
    }
    for (String ns : namespaces) {
      try {
        client.namespaces().withName(ns).delete();
        evidence("deleted namespace " + ns);
      } catch (RuntimeException e) {
        evidence("cleanup: could not delete namespace " + ns + ": " + e.getMessage());
      }
    }
  }
}
