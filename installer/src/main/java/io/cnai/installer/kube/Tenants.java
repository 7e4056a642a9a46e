package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Namespaces as tenants (one per classroom student): listing labelled namespaces and cluster-scoped
 * objects, reading a Secret's data, the pods of a namespace with whether their node is simulated,
 * and access reviews. Objects are applied and deleted through the session's {@link Applier}; this
 * class adds only the reads and label-selected deletes that tenants need, so that nothing outside
 * {@code kube/} calls the Kubernetes client.
 */
public final class Tenants {
  /** How long a kind the API server serves may be missing from its group's discovery. */
  static final java.time.Duration DISCOVERY_LAG = java.time.Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final Applier applier;

  private Tenants(KubernetesClient client, Applier applier) {
    this.client = client;
    this.applier = applier;
  }

  public static Tenants of(ClusterSession session) {
    return new Tenants(session.applier().client(), session.applier());
  }

  public Applier applier() {
    return applier;
  }

  /** One namespace: its labels and annotations, and whether it is being deleted. */
  public record NamespaceInfo(String name, Map<String, String> labels, Map<String, String> annotations, boolean terminating) {
    public NamespaceInfo {
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
    }
  }

  /** Namespaces labelled {@code key=value}, by name. */
  public List<NamespaceInfo> namespaces(String key, String value) {
    try {
      List<NamespaceInfo> out = new ArrayList<>();
      for (Namespace n : client.namespaces().withLabel(key, value).list().getItems()) {
        out.add(info(n));
      }
      out.sort(java.util.Comparator.comparing(NamespaceInfo::name));
      return out;
    } catch (KubernetesClientException e) {
      throw failure("listing namespaces labelled " + key + "=" + value, e);
    }
  }

  /** The namespace, or null when there is none. */
  public NamespaceInfo namespace(String name) {
    try {
      Namespace n = client.namespaces().withName(name).get();
      return n == null ? null : info(n);
    } catch (KubernetesClientException e) {
      throw failure("reading namespace " + name, e);
    }
  }

  private static NamespaceInfo info(Namespace n) {
    var m = n.getMetadata();
    return new NamespaceInfo(m.getName(), m.getLabels() == null ? Map.of() : m.getLabels(),
        m.getAnnotations() == null ? Map.of() : m.getAnnotations(), m.getDeletionTimestamp() != null);
  }

  /** The decoded data of a Secret, or null when it does not exist. */
  public Map<String, String> secretData(String namespace, String name) {
    try {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s == null) {
        return null;
      }
      Map<String, String> out = new TreeMap<>();
      if (s.getData() != null) {
        s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      if (s.getStringData() != null) {
        out.putAll(s.getStringData());
      }
      return out;
    } catch (KubernetesClientException e) {
      throw failure("reading secret " + namespace + "/" + name, e);
    }
  }

  private volatile java.util.Set<String> discovered;

  /**
   * Whether the API server serves {@code apiVersion}/{@code kind}: read once per instance (one
   * command) from aggregated discovery (two requests), else asked kind by kind.
   */
  public boolean served(String apiVersion, String kind) {
    java.util.Set<String> d = discovered;
    if (d == null) {
      d = LiveFacts.aggregatedDiscovery(client);
      discovered = d == null ? java.util.Set.of() : d;
    }
    if (d == null || d.isEmpty()) {
      return applier.served(new ObjectRef(apiVersion, kind, null, "-"));
    }
    return d.contains(apiVersion + "/" + kind);
  }

  /** Whether the object exists (false too when its kind is not served). */
  public boolean exists(String apiVersion, String kind, String namespace, String name) {
    return applier.get(new ObjectRef(apiVersion, kind, namespace, name)) != null;
  }

  /**
   * The client's operations on a kind; null when the API server does not serve it (asked afresh: a
   * CRD may be going away, e.g. Kueue's while a classroom is deleted; once a classroom's delete
   * found ResourceFlavor gone while ClusterQueue was still served). A kind whose CRD was made
   * moments ago can be missing from its group's discovery for a while after it is served, so a
   * kind the client cannot find but the API server serves is looked up again for up to 10 s.
   */
  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> resources(
      String apiVersion, String kind) {
    long deadline = System.nanoTime() + DISCOVERY_LAG.toNanos();
    while (true) {
      try {
        return client.genericKubernetesResources(apiVersion, kind);
      } catch (KubernetesClientException e) {
        // fabric8 says so in words only (no status code)
        if (!String.valueOf(e.getMessage()).contains("Could not find the metadata")) {
          throw e;
        }
        if (!applier.served(new ObjectRef(apiVersion, kind, null, "-"))) {
          return null;
        }
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CnaiException.failure("interrupted while looking up " + apiVersion + "/" + kind, "run the command again");
      }
    }
  }

  /** Names of the cluster-scoped objects of a kind labelled {@code key=value}; empty when the kind is not served. */
  public List<String> clusterScoped(String apiVersion, String kind, String key, String value) {
    try {
      var op = resources(apiVersion, kind);
      return op == null ? List.of() : op.withLabel(key, value).list().getItems().stream()
          .map(r -> r.getMetadata().getName()).sorted().toList();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      throw failure("listing " + kind + " labelled " + key + "=" + value, e);
    }
  }

  /** Deletes the cluster-scoped objects of a kind labelled {@code key=value}; their names. */
  public List<String> deleteClusterScoped(String apiVersion, String kind, String key, String value) {
    List<String> names = clusterScoped(apiVersion, kind, key, value);
    for (String n : names) {
      applier.delete(new ObjectRef(apiVersion, kind, null, n));
    }
    return names;
  }

  /** A kind of namespaced object, by API version and kind; {@code await}: whether emptying waits until none is left. */
  public record Kind(String apiVersion, String kind, boolean await) {
    public Kind(String apiVersion, String kind) {
      this(apiVersion, kind, true);
    }
  }

  /**
   * Deletes every object of {@code kinds} in {@code namespace} at once (pods without a grace
   * period: their work is being thrown away), owners first so that their controllers make nothing
   * new, then waits until none is left (finalizers, e.g. of a Job's pods or of a claim in use,
   * are let run) or {@code timeout} passes; false then. Objects named in {@code keep} (e.g. the
   * {@code kube-root-ca.crt} ConfigMap a controller puts in every namespace) are left. Kinds not
   * served are skipped.
   */
  public boolean empty(String namespace, List<Kind> kinds, Set<String> keep, java.time.Duration timeout) {
    List<Kind> served = kinds.stream().filter(k -> served(k.apiVersion(), k.kind())).toList();
    try {
      for (Kind k : served) {
        if ("v1".equals(k.apiVersion()) && "Pod".equals(k.kind())) {
          client.pods().inNamespace(namespace).withGracePeriod(0).delete();
        } else {
          var kindOp = resources(k.apiVersion(), k.kind());
          if (kindOp == null) {
            continue; // no longer served: its objects went with its CRD
          }
          var op = kindOp.inNamespace(namespace).withoutFields(Map.of());
          for (String name : keep) {
            op = op.withoutField("metadata.name", name);
          }
          op.withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        }
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Kind k : served.stream().filter(Kind::await).toList()) {
        boolean pods = "v1".equals(k.apiVersion()) && "Pod".equals(k.kind());
        while (true) {
          var kindOp = resources(k.apiVersion(), k.kind());
          if (kindOp == null || kindOp.inNamespace(namespace).list().getItems().stream()
              .allMatch(o -> keep.contains(o.getMetadata().getName()))) {
            break;
          }
          if (System.nanoTime() > deadline) {
            return false;
          }
          if (pods) {
            // a controller deleted above may have made one more pod, which the garbage collector
            // then deletes with the pod's grace period: those go now too
            client.pods().inNamespace(namespace).withGracePeriod(0).delete();
          }
          Thread.sleep(100);
        }
      }
      return true;
    } catch (KubernetesClientException e) {
      throw failure("deleting the objects in " + namespace, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while emptying " + namespace, "run the command again");
    }
  }

  /** Deletes the pods of a namespace without a grace period (e.g. one being deleted: it goes sooner). */
  public void deletePodsNow(String namespace) {
    try {
      client.pods().inNamespace(namespace).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      throw failure("deleting the pods of " + namespace, e);
    }
  }

  /** A pod: its phase, whether it is Ready, its node, and whether that node is simulated (no container runs). */
  public record PodInfo(String name, String phase, boolean ready, String node, boolean simulatedNode) {}

  /** Pods in {@code namespace} labelled {@code key=value}. */
  public List<PodInfo> pods(String namespace, String key, String value) {
    try {
      List<Pod> items = client.pods().inNamespace(namespace).withLabel(key, value).list().getItems();
      List<PodInfo> out = new ArrayList<>();
      for (Pod p : items) {
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null
            && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        out.add(new PodInfo(p.getMetadata().getName(), p.getStatus() == null ? "" : p.getStatus().getPhase(), ready, node,
            node != null && simulatedNodes().contains(node)));
      }
      return out;
    } catch (KubernetesClientException e) {
      throw failure("listing pods in " + namespace, e);
    }
  }

  private volatile Set<String> simulated;

  /** Names of the nodes kwok plays (read once per instance). */
  public Set<String> simulatedNodes() {
    Set<String> s = simulated;
    if (s == null) {
      s = LiveFacts.cluster(client).nodes().stream().filter(ClusterFacts.NodeFacts::simulated)
          .map(ClusterFacts.NodeFacts::name).collect(Collectors.toUnmodifiableSet());
      simulated = s;
    }
    return s;
  }

  /**
   * The IPv4 pod ranges the nodes record ({@code spec.podCIDRs}, set by a node IPAM controller or,
   * on cnai local clusters, by cnai), sorted; empty when no node records one.
   */
  public List<String> podCidrs() {
    try {
      return client.nodes().list().getItems().stream()
          .flatMap(n -> n.getSpec() == null || n.getSpec().getPodCIDRs() == null ? java.util.stream.Stream.<String>empty()
              : n.getSpec().getPodCIDRs().stream())
          .filter(c -> c.contains(".")).distinct().sorted().toList();
    } catch (KubernetesClientException e) {
      throw failure("reading the nodes' pod ranges", e);
    }
  }

  /** Version and nodes (allocatable CPU and memory included). */
  public ClusterFacts facts() {
    try {
      return LiveFacts.cluster(client);
    } catch (KubernetesClientException e) {
      throw failure("reading the cluster's nodes", e);
    }
  }

  /**
   * Whether {@code user} (with {@code groups}) may {@code verb} {@code resource} of API group
   * {@code group} in {@code namespace} (null: cluster-wide), as the API server's authorizer says
   * (a SubjectAccessReview).
   */
  public boolean can(String user, List<String> groups, String verb, String group, String resource, String namespace) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec().withUser(user).withGroups(groups)
        .withNewResourceAttributes().withVerb(verb).withGroup(group).withResource(resource).withNamespace(namespace)
        .endResourceAttributes().endSpec().build();
    try {
      SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
      return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    } catch (KubernetesClientException e) {
      throw failure("asking the API server whether " + user + " may " + verb + " " + resource, e);
    }
  }

  /** Data of a generic object as plain maps (for reading a few fields, e.g. a Deployment's status), or null. */
  public Map<String, Object> get(String apiVersion, String kind, String namespace, String name) {
    GenericKubernetesResource r = applier.get(new ObjectRef(apiVersion, kind, namespace, name));
    return r == null ? null : new LinkedHashMap<>(r.getAdditionalProperties());
  }

  private static CnaiException failure(String what, KubernetesClientException e) {
    return CnaiException.failure(what + " failed: " + e.getMessage(), "check that the cluster runs and that your kubeconfig may do this", e);
  }
}
