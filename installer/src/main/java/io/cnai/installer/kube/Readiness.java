package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waits, with watches (fabric8 informers), until objects are ready: Deployments, StatefulSets,
 * DaemonSets, Jobs, CRDs (Established), APIServices (Available) and the Services that webhooks call
 * (a ready endpoint). When one is not ready in time, the error names it, the condition that failed
 * and the recent events that explain it.
 */
public final class Readiness {
  /** Kinds whose readiness cnai waits for. */
  public static final Set<String> KINDS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CustomResourceDefinition", "APIService");

  private final KubernetesClient client;

  public Readiness(KubernetesClient client) {
    this.client = client;
  }

  public static boolean watched(ObjectRef ref) {
    return KINDS.contains(ref.kind());
  }

  /** Objects read at once by {@link #await}'s first look. */
  static final int PARALLEL = 8;

  /**
   * Waits for every object in turn, all under one deadline. Each is first read once (up to {@value
   * #PARALLEL} at a time): most are ready by then (CRDs a moment after they are applied), and a read
   * is one request where a watch is a list, a watch and a thread; only those not ready yet are
   * watched.
   */
  public void await(String component, List<ObjectRef> refs, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    for (ObjectRef ref : notReadyYet(component, refs.stream().filter(Readiness::watched).toList())) {
      long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
      GenericKubernetesResource last;
      try {
        var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
        var res = ref.namespace() == null ? op.withName(ref.name()) : op.inNamespace(ref.namespace()).withName(ref.name());
        last = res.waitUntilCondition(r -> r != null && (ready(r) || failed(r) != null), left, TimeUnit.MILLISECONDS);
      } catch (KubernetesClientTimeoutException e) {
        throw notReady(component, ref, timeout);
      } catch (KubernetesClientException e) {
        throw CnaiException.failure(
            "component '" + component + "': cannot watch " + ref.id() + ": " + e.getMessage(),
            "check that the API server is reachable, then run the same command again", e);
      }
      String failed = failed(last);
      if (failed != null) {
        throw CnaiException.failure(
            "component '" + component + "': " + ref.id() + " failed: " + failed + explain(ref, last),
            "fix the cause above, then run the same command again");
      }
    }
  }

  /** The objects of {@code refs} that are not ready now (missing, or not readable yet, included); a failed one is thrown. */
  private List<ObjectRef> notReadyYet(String component, List<ObjectRef> refs) {
    List<GenericKubernetesResource> now = new java.util.ArrayList<>();
    if (refs.size() <= 1) {
      refs.forEach(r -> now.add(read(r)));
    } else {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(PARALLEL, refs.size()), r -> {
        Thread t = new Thread(r, "cnai-readiness");
        t.setDaemon(true);
        return t;
      });
      try {
        List<java.util.concurrent.Future<GenericKubernetesResource>> reads = new java.util.ArrayList<>();
        refs.forEach(r -> reads.add(pool.submit(() -> read(r))));
        for (var f : reads) {
          try {
            now.add(f.get());
          } catch (java.util.concurrent.ExecutionException e) {
            now.add(null);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CnaiException.failure("interrupted while waiting for " + component, "run the same command again");
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
    List<ObjectRef> out = new java.util.ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      GenericKubernetesResource r = now.get(i);
      ObjectRef ref = refs.get(i);
      if (r != null && failed(r) != null) {
        throw CnaiException.failure(
            "component '" + component + "': " + ref.id() + " failed: " + failed(r) + explain(ref, r),
            "fix the cause above, then run the same command again");
      }
      if (r == null || !ready(r)) {
        out.add(ref);
      }
    }
    return out;
  }

  /** The object now; null when it is missing or cannot be read (the watch that follows says why). */
  private GenericKubernetesResource read(ObjectRef ref) {
    try {
      var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
      return ref.namespace() == null ? op.withName(ref.name()).get() : op.inNamespace(ref.namespace()).withName(ref.name()).get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Waits until the Service has a ready endpoint (an EndpointSlice endpoint with {@code
   * ready=true}): what a webhook or an aggregated API needs before the API server can call it.
   */
  public void awaitEndpoints(String component, ObjectRef service, Duration timeout) {
    try {
      client.discovery().v1().endpointSlices().inNamespace(service.namespace())
          .withLabel("kubernetes.io/service-name", service.name())
          .informOnCondition(slices -> slices.stream().anyMatch(sl -> sl.getEndpoints() != null && sl.getEndpoints().stream()
              .anyMatch(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()))))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw CnaiException.failure(
          "component '" + component + "': Service/" + service.namespace() + "/" + service.name()
              + ", which a webhook calls, has no ready endpoint after " + timeout.toSeconds() + "s: the pods it selects are not ready"
              + explain(new ObjectRef("v1", "Service", service.namespace(), service.name()), new GenericKubernetesResource()),
          "check the pods behind the Service (kubectl get pods -n " + service.namespace() + "), or give it more time with --timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while waiting for Service/" + service.namespace() + "/" + service.name(), "run the same command again");
    } catch (java.util.concurrent.ExecutionException e) {
      throw CnaiException.failure("component '" + component + "': cannot watch the endpoints of Service/" + service.namespace() + "/"
          + service.name() + ": " + e.getCause().getMessage(), "check that the API server is reachable, then run the same command again");
    }
  }

  /** Services in {@code refs} that a webhook configuration (its YAML given) calls. */
  @SuppressWarnings("unchecked")
  public static List<ObjectRef> webhookServices(String webhookYaml, List<ObjectRef> refs) {
    List<ObjectRef> out = new ArrayList<>();
    GenericKubernetesResource r = Applier.parse(webhookYaml);
    Object hooks = r.getAdditionalProperties().get("webhooks");
    if (hooks instanceof List<?> list) {
      for (Object h : list) {
        Map<String, Object> cc = (Map<String, Object>) ((Map<String, Object>) h).getOrDefault("clientConfig", Map.of());
        Map<String, Object> svc = (Map<String, Object>) cc.get("service");
        if (svc != null) {
          ObjectRef ref = new ObjectRef("v1", "Service", String.valueOf(svc.get("namespace")), String.valueOf(svc.get("name")));
          if (refs.contains(ref) && !out.contains(ref)) {
            out.add(ref);
          }
        }
      }
    }
    return out;
  }

  /** Whether the object is ready now (objects of other kinds are ready once they exist). */
  @SuppressWarnings("unchecked")
  public static boolean ready(GenericKubernetesResource r) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().getOrDefault("status", Map.of());
    Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().getOrDefault("spec", Map.of());
    long generation = r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
    long observed = num(status.get("observedGeneration"));
    switch (r.getKind()) {
      case "Deployment": {
        long want = spec.containsKey("replicas") ? num(spec.get("replicas")) : 1;
        return observed >= generation && num(status.get("updatedReplicas")) >= want
            && num(status.get("availableReplicas")) >= want && num(status.get("replicas")) <= want;
      }
      case "StatefulSet": {
        long want = spec.containsKey("replicas") ? num(spec.get("replicas")) : 1;
        return observed >= generation && num(status.get("readyReplicas")) >= want
            && num(status.get("updatedReplicas")) >= want;
      }
      case "DaemonSet": {
        long want = num(status.get("desiredNumberScheduled"));
        return observed >= generation && num(status.get("numberReady")) >= want
            && num(status.get("updatedNumberScheduled")) >= want;
      }
      case "Job":
        return condition(status, "Complete");
      case "CustomResourceDefinition":
        return condition(status, "Established");
      case "APIService":
        return condition(status, "Available");
      default:
        return true;
    }
  }

  @SuppressWarnings("unchecked")
  static String failed(GenericKubernetesResource r) {
    if ("Job".equals(r.getKind())) {
      Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().getOrDefault("status", Map.of());
      for (Map<String, Object> c : conditions(status)) {
        if ("Failed".equals(c.get("type")) && "True".equals(c.get("status"))) {
          return "condition Failed=True (" + c.get("reason") + ": " + c.get("message") + ")";
        }
      }
    }
    return null;
  }

  private static long num(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> conditions(Map<String, Object> status) {
    Object c = status.get("conditions");
    return c instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private static boolean condition(Map<String, Object> status, String type) {
    for (Map<String, Object> c : conditions(status)) {
      if (type.equals(c.get("type")) && "True".equals(c.get("status"))) {
        return true;
      }
    }
    return false;
  }

  private static String expected(String kind) {
    return switch (kind) {
      case "Deployment" -> "all replicas updated and Available";
      case "StatefulSet", "DaemonSet" -> "all replicas updated and Ready";
      case "Job" -> "condition Complete=True";
      case "CustomResourceDefinition" -> "condition Established=True";
      case "APIService" -> "condition Available=True";
      default -> "to exist";
    };
  }

  private CnaiException notReady(String component, ObjectRef ref, Duration timeout) {
    GenericKubernetesResource r;
    try {
      var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
      r = ref.namespace() == null ? op.withName(ref.name()).get() : op.inNamespace(ref.namespace()).withName(ref.name()).get();
    } catch (KubernetesClientException e) {
      r = null;
    }
    String what = r == null ? "it does not exist" : "waited for " + expected(ref.kind()) + explain(ref, r);
    return CnaiException.failure(
        "component '" + component + "': " + ref.id() + " is not ready after " + timeout.toSeconds() + "s: " + what,
        "fix the cause named above (events show what the cluster says), or give it more time with --timeout");
  }

  /** The conditions that are not True, the pods' unmet conditions, and recent events. */
  @SuppressWarnings("unchecked")
  private String explain(ObjectRef ref, GenericKubernetesResource r) {
    StringBuilder b = new StringBuilder();
    Map<String, Object> status = r.getAdditionalProperties() == null ? Map.of()
        : (Map<String, Object>) r.getAdditionalProperties().getOrDefault("status", Map.of());
    for (Map<String, Object> c : conditions(status)) {
      if (!"True".equals(c.get("status")) || "Failed".equals(c.get("type"))) {
        b.append("\n  condition ").append(c.get("type")).append('=').append(c.get("status"));
        if (c.get("reason") != null) {
          b.append(" (").append(c.get("reason")).append(c.get("message") == null ? "" : ": " + c.get("message")).append(')');
        }
      }
    }
    List<String> involved = new ArrayList<>(List.of(ref.name()));
    if (ref.namespace() != null && List.of("Deployment", "StatefulSet", "DaemonSet", "Job").contains(ref.kind())) {
      Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().getOrDefault("spec", Map.of());
      Map<String, Object> selector = (Map<String, Object>) spec.getOrDefault("selector", Map.of());
      Map<String, String> labels = (Map<String, String>) selector.get("matchLabels");
      if (labels != null && !labels.isEmpty()) {
        for (Pod p : client.pods().inNamespace(ref.namespace()).withLabels(labels).list().getItems()) {
          involved.add(p.getMetadata().getName());
          if (p.getStatus() != null && p.getStatus().getConditions() != null) {
            for (PodCondition c : p.getStatus().getConditions()) {
              if (!"True".equals(c.getStatus())) {
                b.append("\n  pod ").append(p.getMetadata().getName()).append(": ").append(c.getType()).append('=')
                    .append(c.getStatus()).append(c.getReason() == null ? "" : " (" + c.getReason()
                        + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")");
              }
            }
          }
        }
      }
    }
    if (ref.namespace() != null) {
      List<Event> events = new ArrayList<>();
      for (Event e : client.v1().events().inNamespace(ref.namespace()).list().getItems()) {
        if (e.getInvolvedObject() != null && involved.contains(e.getInvolvedObject().getName())
            || e.getInvolvedObject() != null && e.getInvolvedObject().getName() != null
                && e.getInvolvedObject().getName().startsWith(ref.name() + "-")) {
          events.add(e);
        }
      }
      events.sort(Comparator.comparing(Readiness::when));
      List<Event> recent = events.subList(Math.max(0, events.size() - 5), events.size());
      if (!recent.isEmpty()) {
        b.append("\n  recent events:");
        for (Event e : recent) {
          b.append("\n    ").append(e.getType()).append(' ').append(e.getReason()).append(' ')
              .append(e.getInvolvedObject().getKind()).append('/').append(e.getInvolvedObject().getName())
              .append(": ").append(e.getMessage() == null ? "" : e.getMessage().strip());
        }
      }
    }
    return b.toString();
  }

  private static String when(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return e.getMetadata().getCreationTimestamp() == null ? "" : e.getMetadata().getCreationTimestamp();
  }
}
