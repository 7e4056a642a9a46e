package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side apply under the field manager {@value #FIELD_MANAGER}, with cnai's labels, and
 * deletion by reference. Whether a kind is namespaced is read from discovery.
 */
public final class Applier {
  public static final String FIELD_MANAGER = "cnai";
  public static final String COMPONENT_LABEL = "cnai.io/component";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  private final KubernetesClient client;
  private final Map<String, Map<String, Boolean>> namespaced = new ConcurrentHashMap<>();

  public Applier(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * Creates the namespace when it is missing, labelled {@code app.kubernetes.io/managed-by=cnai}
   * (only such namespaces are deleted again by uninstall); an existing one is left as it is.
   */
  public void ensureNamespace(String name) {
    io.fabric8.kubernetes.api.model.Namespace existing = client.namespaces().withName(name).get();
    if (existing != null && existing.getMetadata().getDeletionTimestamp() == null) {
      return;
    }
    if (existing != null) {
      // being deleted (e.g. by an uninstall a moment ago): nothing can be created in it; wait until it is gone
      try {
        client.namespaces().withName(name).waitUntilCondition(java.util.Objects::isNull, 3, java.util.concurrent.TimeUnit.MINUTES);
      } catch (KubernetesClientException e) {
        throw CnaiException.failure(
            "namespace " + name + " is being deleted and was still there after 3 minutes",
            "check what keeps it (finalizers: kubectl get namespace " + name + " -o yaml), then run the command again", e);
      }
    }
    try {
      client.namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).addToLabels(MANAGED_BY_LABEL, "cnai").endMetadata().build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw CnaiException.failure("cannot create namespace " + name + ": " + e.getMessage(), "check the API server and your RBAC", e);
      }
    }
  }

  /** Whether cnai created the namespace. */
  public boolean ownsNamespace(String name) {
    var n = client.namespaces().withName(name).get();
    return n != null && n.getMetadata().getLabels() != null && "cnai".equals(n.getMetadata().getLabels().get(MANAGED_BY_LABEL));
  }

  /**
   * PersistentVolumeClaims that are not being deleted, as {@code namespace/name}, sorted: in
   * {@code namespace} (null: every namespace), labelled {@code key=value} (null key: all).
   */
  public java.util.List<String> claims(String namespace, String key, String value) {
    var op = namespace == null ? client.persistentVolumeClaims().inAnyNamespace() : client.persistentVolumeClaims().inNamespace(namespace);
    var items = key == null ? op.list().getItems() : op.withLabel(key, value).list().getItems();
    return items.stream().filter(c -> c.getMetadata().getDeletionTimestamp() == null)
        .map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()).sorted().toList();
  }

  /**
   * Custom resources in {@code namespace} (of every namespaced CRD), as {@code Kind/name}, sorted:
   * a namespace that holds any is users' data.
   */
  public java.util.List<String> customResources(String namespace) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (var crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
      if (!"Namespaced".equals(crd.getSpec().getScope()) || crd.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String version = crd.getSpec().getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getServed())).map(v -> v.getName())
          .findFirst().orElse(null);
      if (version == null) {
        continue;
      }
      try {
        client.genericKubernetesResources(crd.getSpec().getGroup() + "/" + version, crd.getSpec().getNames().getKind())
            .inNamespace(namespace).list().getItems().stream().filter(r -> r.getMetadata().getDeletionTimestamp() == null)
            .forEach(r -> out.add(r.getKind() + "/" + r.getMetadata().getName()));
      } catch (KubernetesClientException e) {
        // a kind not served (yet, or any more): nothing of it to keep
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** Deletes the PersistentVolumeClaims labelled {@code key=value} in {@code namespace} (null: every namespace). */
  public void deleteClaims(String namespace, String key, String value) {
    if (namespace == null) {
      client.persistentVolumeClaims().inAnyNamespace().withLabel(key, value).delete();
    } else {
      client.persistentVolumeClaims().inNamespace(namespace).withLabel(key, value).delete();
    }
  }

  public void deleteNamespace(String name) {
    client.namespaces().withName(name).delete();
  }

  /** Waits until the namespace is gone; false when it is still terminating after {@code timeout}. */
  public boolean awaitNamespaceGone(String name, java.time.Duration timeout) {
    try {
      client.namespaces().withName(name).waitUntilCondition(x -> x == null, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /** Parses one YAML document into a generic object. */
  public static GenericKubernetesResource parse(String yaml) {
    try {
      return YAML.readValue(yaml);
    } catch (java.io.IOException e) {
      throw CnaiException.failure("a rendered object is not valid YAML: " + e.getMessage(), "check the chart or manifest that produced it");
    }
  }

  // an empty value ('annotations:' and a line of blanks, as kube-prometheus-stack renders) is null,
  // as it is to Helm and the API server, not an empty string that cannot be a map
  private static final com.fasterxml.jackson.databind.ObjectReader YAML = io.cnai.installer.json.Mappers.YAML
      .readerFor(GenericKubernetesResource.class).without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .with(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT);

  /**
   * Applies one object. Namespaced objects without a namespace go to {@code defaultNamespace}.
   * Labels and annotations given are added to the object's own.
   */
  public ObjectRef apply(String yaml, String defaultNamespace, Map<String, String> labels, Map<String, String> annotations) {
    GenericKubernetesResource r = prepare(yaml, defaultNamespace, labels, annotations);
    ObjectRef ref = ObjectRef.of(r);
    awaitNotTerminating(ref);
    for (int attempt = 1; ; attempt++) {
      try {
        client.resource(r).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        return ref;
      } catch (KubernetesClientException e) {
        if (!isTransient(e)) {
          throw CnaiException.failure(
              "applying " + ref.id() + " failed: " + e.getMessage(),
              "the API server refused the object; fix the manifests or the values that produce it", e);
        }
        if (attempt == APPLY_ATTEMPTS) {
          throw CnaiException.failure(
              "applying " + ref.id() + " failed " + APPLY_ATTEMPTS + " times: " + e.getMessage(),
              "the API server did not answer in time or was unavailable (it may be overloaded); run the same command again", e);
        }
        sleep(Duration.ofSeconds(attempt));
      }
    }
  }

  static final int APPLY_ATTEMPTS = 4;

  /**
   * Whether a failed request may succeed when sent again as it is: no answer at all (a timeout, a
   * dropped connection: code 0), too many requests, or the server unavailable for now. A server-side
   * apply is idempotent, so sending it again is safe. A refusal of the object (4xx) is not transient,
   * nor is an admission webhook that could not be called.
   */
  static boolean isTransient(KubernetesClientException e) {
    int code = e.getCode();
    if (code == 500 && String.valueOf(e.getMessage()).contains("webhook")) {
      return false; // an admission webhook that cannot be called: the cause is its service, said as it is
    }
    return code == 0 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504 || timedOut(e);
  }

  /**
   * Whether the client stopped waiting for the answer (its request timeout): no answer, like code 0.
   * Seen when an upgrade re-applied KubeRay's and Prometheus' CRDs (up to 680 KiB) on a loaded machine.
   */
  static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.io.InterruptedIOException
          || String.valueOf(t.getMessage()).startsWith("The timeout period of")) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while waiting to apply again", "run the same command again");
    }
  }

  /**
   * What the object ({@link #prepare}d) would become if {@link #apply} ran now: a server-side
   * dry run (nothing is changed). Compared with the live object, a difference is drift: a field
   * that cnai (or Helm) set and that someone changed since.
   */
  public GenericKubernetesResource dryRunApply(GenericKubernetesResource prepared) {
    return client.resource(prepared).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** The object as cnai applies it: its labels and annotations added, its namespace settled. */
  public GenericKubernetesResource prepare(String yaml, String defaultNamespace, Map<String, String> labels, Map<String, String> annotations) {
    GenericKubernetesResource r = parse(yaml);
    r.getMetadata().setResourceVersion(null);
    Map<String, String> l = new LinkedHashMap<>(r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels());
    l.putAll(labels);
    r.getMetadata().setLabels(l);
    if (!annotations.isEmpty()) {
      Map<String, String> a = new HashMap<>(r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations());
      a.putAll(annotations);
      r.getMetadata().setAnnotations(a);
    }
    boolean ns = isNamespaced(r.getApiVersion(), r.getKind());
    if (ns && r.getMetadata().getNamespace() == null) {
      r.getMetadata().setNamespace(defaultNamespace);
    }
    if (!ns) {
      r.getMetadata().setNamespace(null);
    }
    return r;
  }

  /**
   * An object that is being deleted (a CRD an uninstall removed a moment ago, waiting for its custom
   * resources to go) would accept the apply and then vanish; wait until it is gone first.
   */
  private void awaitNotTerminating(ObjectRef ref) {
    io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> res;
    GenericKubernetesResource existing;
    try {
      var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
      res = ref.namespace() == null ? op.withName(ref.name()) : op.inNamespace(ref.namespace()).withName(ref.name());
      existing = res.get();
    } catch (RuntimeException e) {
      return; // not readable yet (e.g. a kind whose CRD was just created): the apply says what is wrong
    }
    if (existing == null || existing.getMetadata().getDeletionTimestamp() == null) {
      return;
    }
    String still = awaitGone(ref, java.time.Duration.ofMinutes(3));
    if (still != null) {
      throw CnaiException.failure(
          ref.id() + " is being deleted and did not go within 3 minutes" + (still.isEmpty() ? "" : " (" + still + ")"),
          "check its finalizers (kubectl get " + ref.kind().toLowerCase(java.util.Locale.ROOT) + " " + ref.name() + " -o yaml), then run the command again");
    }
  }

  /**
   * Waits until the object is gone; returns null when it is, else what holds it (for a CRD its
   * {@code Terminating} condition; empty for other kinds). While a CRD waits, it is re-annotated
   * every 15 s ({@code cnai.io/awaiting-removal}): the API server's CRD finalizer retries a failed
   * cleanup (e.g. "storage is (re)initializing") with a growing delay, up to minutes, and a change
   * to the CRD queues it again at once.
   */
  public String awaitGone(ObjectRef ref, java.time.Duration max) {
    var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
    var res = ref.namespace() == null ? op.withName(ref.name()) : op.inNamespace(ref.namespace()).withName(ref.name());
    boolean crd = "CustomResourceDefinition".equals(ref.kind());
    long deadline = System.nanoTime() + max.toNanos();
    for (int round = 1; ; round++) {
      long left = Math.max(1, Math.min(15_000, (deadline - System.nanoTime()) / 1_000_000));
      try {
        res.waitUntilCondition(java.util.Objects::isNull, left, java.util.concurrent.TimeUnit.MILLISECONDS);
        return null;
      } catch (KubernetesClientException e) {
        GenericKubernetesResource now;
        try {
          now = res.get();
        } catch (KubernetesClientException gone) {
          return null; // its kind is no longer served: gone with its CRD
        }
        if (now == null) {
          return null;
        }
        if (System.nanoTime() >= deadline) {
          return crd ? terminating(now) : "";
        }
        if (crd) {
          String mark = Integer.toString(round);
          try {
            res.edit(o -> {
              Map<String, String> a = new HashMap<>(o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations());
              a.put("cnai.io/awaiting-removal", mark);
              o.getMetadata().setAnnotations(a);
              return o;
            });
          } catch (KubernetesClientException gone) {
            // deleted in the meantime, or changed: the next wait tells
          }
        }
      }
    }
  }

  /** The Terminating condition of a CRD being deleted: why its cleanup has not finished. */
  @SuppressWarnings("unchecked")
  private static String terminating(GenericKubernetesResource crd) {
    Object status = crd.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> st && st.get("conditions") instanceof java.util.List<?> conds) {
      for (Object c : conds) {
        if (c instanceof Map<?, ?> m && "Terminating".equals(m.get("type"))) {
          return "Terminating " + m.get("status") + ": " + m.get("reason") + ", " + m.get("message");
        }
      }
    }
    return "finalizers " + crd.getMetadata().getFinalizers();
  }

  /** Deletes the object if it exists; true when it was there. */
  public boolean delete(ObjectRef ref) {
    try {
      var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
      var res = ref.namespace() == null ? op.withName(ref.name()) : op.inNamespace(ref.namespace()).withName(ref.name());
      return !res.delete().isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || !served(ref)) {
        return false; // gone, or its kind is no longer served (its CRD was deleted): its objects went with it
      }
      throw CnaiException.failure("deleting " + ref.id() + " failed: " + e.getMessage(), "check the API server and RBAC", e);
    }
  }

  /** Whether the API server serves the object's kind now (asked afresh: a CRD may have just gone). */
  public boolean served(ObjectRef ref) {
    try {
      APIResourceList list = ref.apiVersion().contains("/") ? client.getApiResources(ref.apiVersion()) : coreResources();
      return list != null && list.getResources().stream().anyMatch(r -> ref.kind().equals(r.getKind()) && !r.getName().contains("/"));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw CnaiException.failure("cannot ask the API server which kinds it serves: " + e.getMessage(), "check the API server", e);
    }
  }

  /** The CRDs that carry label {@code key} (any value): those cnai applied carry {@value #COMPONENT_LABEL}. */
  public java.util.List<ObjectRef> crdsLabelled(String key) {
    return client.apiextensions().v1().customResourceDefinitions().withLabel(key).list().getItems().stream()
        .map(c -> new ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, c.getMetadata().getName())).toList();
  }

  /** The object, or null when it does not exist (or its kind is no longer served). */
  public GenericKubernetesResource get(ObjectRef ref) {
    try {
      var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
      return ref.namespace() == null ? op.withName(ref.name()).get() : op.inNamespace(ref.namespace()).withName(ref.name()).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || !served(ref)) {
        return null;
      }
      throw e;
    }
  }

  /** Whether the kind is namespaced, from discovery (cached per group/version). */
  public boolean isNamespaced(String apiVersion, String kind) {
    Map<String, Boolean> kinds =
        namespaced.computeIfAbsent(apiVersion, gv -> {
          Map<String, Boolean> m = new HashMap<>();
          try {
            APIResourceList list = gv.contains("/") ? client.getApiResources(gv) : coreResources();
            if (list != null) {
              for (APIResource res : list.getResources()) {
                if (!res.getName().contains("/")) {
                  m.put(res.getKind(), res.getNamespaced());
                }
              }
            }
          } catch (KubernetesClientException e) {
            // unknown group: treated as namespaced below
          }
          return m;
        });
    Boolean b = kinds.get(kind);
    if (b == null) {
      namespaced.remove(apiVersion);
      throw CnaiException.failure(
          "the cluster does not serve " + kind + " in " + apiVersion,
          "install the component that provides this API first (its CRDs), or check the cluster's Kubernetes version");
    }
    return b;
  }

  private APIResourceList coreResources() {
    return client.getKubernetesSerialization()
        .unmarshal(client.raw("/api/v1"), APIResourceList.class);
  }
}
