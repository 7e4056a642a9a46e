package io.cnai.installer.classroom;

import io.cnai.core.CnaiException;
import io.cnai.installer.kube.ClusterFacts;
import io.cnai.installer.kube.Tenants;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A classroom on one cluster: one namespace per student (quota, limits, RBAC, isolation, a queue,
 * credentials, lessons and a JupyterLab server), made, reported, reset and removed. Everything is
 * applied server-side through {@code kube/}; students are handled a few at a time in parallel.
 */
public final class Classroom {
  /**
   * Students worked on at once (each is a few dozen short requests to the API server). 16: a reset
   * of 30 students ends sooner, so their servers' restarts overlap (6 left the last servers waiting
   * for the command: reset of all 30 real servers took 66.5 s, docs/classroom.md).
   */
  static final int PARALLEL = 16;
  static final Duration NAMESPACE_GONE = Duration.ofMinutes(3);

  private final Tenants kube;
  private final Lessons lessons;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Classroom(Tenants kube, Lessons lessons, Clock clock) {
    this.kube = kube;
    this.lessons = lessons;
    this.clock = clock;
  }

  /** The Kueue API version the cluster serves (v1beta2 preferred), or null when Kueue's CRDs are not there. */
  public String kueueApiVersion() {
    for (String v : List.of("kueue.x-k8s.io/v1beta2", "kueue.x-k8s.io/v1beta1")) {
      if (kube.served(v, "ClusterQueue") && kube.served(v, "LocalQueue")) {
        return v;
      }
    }
    return null;
  }

  /** What {@link #create} made, and what it says about it. */
  public record Created(List<Student> students, String kueueApiVersion, boolean containersRun, Duration took) {}

  /**
   * Checks capacity, then makes the shared objects and every student's namespace (again: re-applied,
   * each student keeping their token). {@code source} names the input for messages.
   */
  public Created create(List<Student> students, Manifests.Settings settings, String source) {
    return create(students, settings, source, Capacity.Fit.QUOTA);
  }

  /** {@link #create(List, Manifests.Settings, String)}, counting capacity as {@code fit} says. */
  public Created create(List<Student> students, Manifests.Settings settings, String source, Capacity.Fit fit) {
    long start = clock.millis();
    ClusterFacts facts = kube.facts();
    Capacity.check(students, facts, source, fit);
    String kueue = kueueApiVersion();
    kube.applier().apply(Manifests.clusterRole(), null, Manifests.labels(null), Map.of());
    if (kueue != null) {
      for (String doc : Manifests.queues(kueue, students)) {
        kube.applier().apply(doc, null, Manifests.labels(null), Map.of());
      }
    }
    List<String> podCidrs = kube.podCidrs();
    parallel(students, s -> {
      applyStudent(s, settings, existingToken(s).orElseGet(this::newToken), kueue, podCidrs);
      return null;
    });
    return new Created(students, kueue, facts.runsContainers(), Duration.ofMillis(clock.millis() - start));
  }

  private void applyStudent(Student s, Manifests.Settings settings, String token, String kueue, List<String> podCidrs) {
    Map<String, String> labels = Manifests.labels(s.name());
    for (String doc : Manifests.student(s, settings, token, lessons.forNamespace(s, settings), kueue, podCidrs)) {
      kube.applier().apply(doc, s.namespace(), labels, Map.of());
    }
  }

  private Optional<String> existingToken(Student s) {
    Map<String, String> data = kube.namespace(s.namespace()) == null ? null : kube.secretData(s.namespace(), Manifests.CREDENTIALS);
    return data == null ? Optional.empty() : Optional.ofNullable(data.get("token")).filter(t -> !t.isBlank());
  }

  private String newToken() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** One student as made: their name, size, and the settings recorded on their namespace. */
  public record Member(Student student, Manifests.Settings settings, boolean terminating) {}

  /** The students of the classroom on this cluster, by name. */
  public List<Member> members() {
    List<Member> out = new ArrayList<>();
    for (Tenants.NamespaceInfo n : kube.namespaces(Manifests.CLASSROOM_LABEL, "true")) {
      String name = n.labels().get(Manifests.STUDENT_LABEL);
      if (name == null) {
        continue;
      }
      Size size = Size.parse(n.annotations().getOrDefault(Manifests.SIZE_ANNOTATION, "")).orElse(Size.SMALL);
      out.add(new Member(new Student(name, size, null), new Manifests.Settings(
          n.annotations().getOrDefault(Manifests.IMAGE_ANNOTATION, Manifests.Settings.DEFAULT_IMAGE),
          n.annotations().getOrDefault(Manifests.URL_ANNOTATION, Manifests.Settings.DEFAULT_URL)), n.terminating()));
    }
    return out;
  }

  private Member member(String name) {
    return members().stream().filter(m -> m.student().name().equals(name)).findFirst()
        .orElseThrow(() -> CnaiException.badInput("no student '" + name + "' in the classroom of this cluster",
            "see who is there with 'cnai classroom status'"));
  }

  /** What a student needs to start: for handouts. */
  public record Access(String name, String namespace, String url, String token, Size size) {}

  public List<Access> access() {
    List<Access> out = new ArrayList<>();
    for (Member m : members()) {
      Student s = m.student();
      Map<String, String> data = kube.secretData(s.namespace(), Manifests.CREDENTIALS);
      out.add(new Access(s.name(), s.namespace(), Manifests.url(m.settings().baseUrl(), s),
          data == null ? "" : data.getOrDefault("token", ""), s.size()));
    }
    return out;
  }

  /**
   * Restores students to their starting state: everything of the kinds a student may create in
   * their namespace is deleted (pods at once), then cnai's objects are applied again, token kept.
   * A namespace that is missing (or being deleted) is made again. {@code name} null: every
   * student. Other students are not touched.
   */
  public record ResetDone(List<String> students, Duration took) {}

  public ResetDone reset(String name) {
    long start = clock.millis();
    List<Member> who = name == null ? members() : List.of(member(name));
    String kueue = kueueApiVersion();
    List<String> podCidrs = kube.podCidrs();
    parallel(who, m -> {
      Student s = m.student();
      String token = existingToken(s).orElseGet(this::newToken);
      if (m.terminating()) {
        if (!kube.applier().awaitNamespaceGone(s.namespace(), NAMESPACE_GONE)) {
          throw stuck(s.namespace(), "reset");
        }
      } else if (!kube.empty(s.namespace(), Manifests.STUDENT_KINDS, Manifests.KEEP, NAMESPACE_GONE)) {
        throw CnaiException.failure("objects in " + s.namespace() + " were still being deleted after " + NAMESPACE_GONE.toMinutes() + " minutes",
            "check what holds them (finalizers: kubectl get all,pvc -n " + s.namespace() + " -o yaml), then run the reset again");
      }
      applyStudent(s, m.settings(), token, kueue, podCidrs);
      return null;
    });
    return new ResetDone(who.stream().map(m -> m.student().name()).toList(), Duration.ofMillis(clock.millis() - start));
  }

  private static CnaiException stuck(String ns, String verb) {
    return CnaiException.failure("namespace " + ns + " was still being deleted after " + NAMESPACE_GONE.toMinutes() + " minutes",
        "check what holds it (kubectl get namespace " + ns + " -o yaml: finalizers), then run 'cnai classroom " + verb + "' again");
  }

  /** What {@link #delete} removed. */
  public record Deleted(List<String> namespaces, List<String> clusterObjects) {}

  /** Removes every student's namespace and the shared objects; waits until the namespaces are gone. */
  public Deleted delete() {
    List<String> namespaces = kube.namespaces(Manifests.CLASSROOM_LABEL, "true").stream().map(Tenants.NamespaceInfo::name).toList();
    for (String ns : namespaces) {
      kube.applier().deleteNamespace(ns);
      kube.deletePodsNow(ns); // the namespace controller would otherwise wait out their grace period
    }
    for (String ns : namespaces) {
      if (!kube.applier().awaitNamespaceGone(ns, NAMESPACE_GONE)) {
        throw stuck(ns, "delete");
      }
    }
    List<String> cluster = new ArrayList<>();
    for (String v : List.of("kueue.x-k8s.io/v1beta2", "kueue.x-k8s.io/v1beta1")) {
      if (kube.served(v, "ClusterQueue")) {
        kube.deleteClusterScoped(v, "ClusterQueue", Manifests.CLASSROOM_LABEL, "true").forEach(n -> cluster.add("ClusterQueue/" + n));
        kube.deleteClusterScoped(v, "ResourceFlavor", Manifests.CLASSROOM_LABEL, "true").forEach(n -> cluster.add("ResourceFlavor/" + n));
        break;
      }
    }
    kube.deleteClusterScoped("rbac.authorization.k8s.io/v1", "ClusterRole", Manifests.CLASSROOM_LABEL, "true")
        .forEach(n -> cluster.add("ClusterRole/" + n));
    return new Deleted(namespaces, cluster);
  }

  /** The state of one student's JupyterLab server, said honestly. */
  public enum Server {
    /** A pod is Ready on a node that runs containers. */
    READY,
    /** Not Ready yet (or no pod). */
    NOT_READY,
    /** Its pod sits on a simulated node: no container runs, whatever the pod's status says. */
    SIMULATED
  }

  /** One student's state: namespace, server, and which exercises are done (null: cannot be checked here). */
  public record StudentStatus(String name, String namespace, Size size, boolean resetting, Server server, String serverDetail,
      Map<String, Boolean> exercises) {}

  public List<StudentStatus> status() {
    List<Member> members = members();
    Map<String, Boolean> served = new LinkedHashMap<>();
    for (Exercises.Exercise e : Exercises.ALL) {
      served.computeIfAbsent(e.check().apiVersion() + "/" + e.check().kind(), k -> kube.served(e.check().apiVersion(), e.check().kind()));
    }
    return parallel(members, m -> {
      Student s = m.student();
      Server server;
      String detail;
      List<Tenants.PodInfo> pods = m.terminating() ? List.of() : kube.pods(s.namespace(), Manifests.APP_LABEL, Manifests.JUPYTER);
      if (m.terminating()) {
        server = Server.NOT_READY;
        detail = "namespace is being deleted (a reset or delete is running)";
      } else if (pods.isEmpty()) {
        server = Server.NOT_READY;
        detail = "no pod (yet)";
      } else if (pods.stream().allMatch(Tenants.PodInfo::simulatedNode)) {
        server = Server.SIMULATED;
        detail = "pod " + pods.get(0).name() + " is on simulated node " + pods.get(0).node() + ": no container runs there";
      } else if (pods.stream().anyMatch(p -> p.ready() && !p.simulatedNode())) {
        server = Server.READY;
        detail = "ready";
      } else {
        server = Server.NOT_READY;
        Tenants.PodInfo p = pods.get(0);
        detail = "pod " + p.name() + " is " + (p.phase() == null || p.phase().isEmpty() ? "pending" : p.phase()) + ", not Ready";
      }
      Map<String, Boolean> done = new LinkedHashMap<>();
      for (Exercises.Exercise e : Exercises.ALL) {
        Exercises.Check c = e.check();
        boolean can = !m.terminating() && served.get(c.apiVersion() + "/" + c.kind());
        done.put(e.id(), can ? kube.exists(c.apiVersion(), c.kind(), s.namespace(), c.name()) : null);
      }
      return new StudentStatus(s.name(), s.namespace(), s.size(), m.terminating(), server, detail, done);
    });
  }

  /** Whether the cluster's nodes run containers (a sim cluster's do not). */
  public boolean containersRun() {
    return kube.facts().runsContainers();
  }

  private static <T, R> List<R> parallel(List<T> items, Function<T, R> work) {
    if (items.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, items.size()), r -> {
      Thread t = new Thread(r, "cnai-classroom");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> out = new ArrayList<>();
      for (Future<R> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw CnaiException.failure("classroom work failed: " + e.getCause(), "run again with -v for details", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted", "run the command again");
    } finally {
      pool.shutdownNow();
    }
  }
}
