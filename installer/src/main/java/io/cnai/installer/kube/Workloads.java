package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batch work on a cluster, for the end-to-end samples: a namespace and a scratch claim, Jobs of
 * one pod run to completion with their log read back, gangs of workers (Indexed Jobs or Kubeflow
 * Trainer TrainJobs, queued in Kueue) with their workers' logs, the sample's own queue objects, and
 * the few facts the samples need (a Deployment's availability, which kinds are served). The rest of
 * cnai reaches these objects only through here.
 */
public final class Workloads {
  private final Applier applier;
  private final KubernetesClient client;

  private Workloads(Applier applier) {
    this.applier = applier;
    this.client = applier.client();
  }

  public static Workloads of(ClusterSession session) {
    return new Workloads(session.applier());
  }

  /** Over a client someone else opened and closes (the conformance suite's). */
  public static Workloads of(KubernetesClient client) {
    return new Workloads(new Applier(client));
  }

  /** A one-container Job: {@code volume} (a claim name, or null) is mounted at {@code mountPath}. */
  public record JobSpec(String namespace, String name, Map<String, String> labels, String image, List<String> command,
      String claim, String mountPath, int gpus, String cpuRequest, String memoryLimit) {}

  /** How a Job ended: its pod's log, the node it ran on, the seconds from creation to the end. */
  public record JobOutcome(boolean succeeded, String reason, String log, String node, double seconds) {}

  public void ensureNamespace(String name, Map<String, String> labels) {
    try {
      if (client.namespaces().withName(name).get() == null) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
            .create();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw failure("creating namespace " + name, e);
      }
    }
  }

  /**
   * A claim of the default StorageClass, labelled {@code labels}. A claim of that name that does not
   * carry them is someone else's: it is refused, never used or deleted.
   */
  public void ensureClaim(String namespace, String name, String size, Map<String, String> labels) {
    try {
      PersistentVolumeClaim existing = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
      if (existing != null) {
        if (!ours(existing, labels)) {
          throw CnaiException.failure("claim " + namespace + "/" + name + " exists and was not made by cnai e2e",
              "it is left as it is; move it elsewhere, or run the samples on another cluster");
        }
        return;
      }
      client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
          .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
          .addToRequests("storage", new Quantity(size)).endResources().endSpec().build()).create();
    } catch (KubernetesClientException e) {
      throw failure("creating claim " + namespace + "/" + name, e);
    }
  }

  /** Deletes the claim when it carries {@code labels} (one {@link #ensureClaim} made); any other is kept. */
  public void deleteClaim(String namespace, String name, Map<String, String> labels) {
    try {
      PersistentVolumeClaim existing = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
      if (existing != null && ours(existing, labels)) {
        client.persistentVolumeClaims().inNamespace(namespace).withName(name).delete();
      }
    } catch (KubernetesClientException e) {
      throw failure("deleting claim " + namespace + "/" + name, e);
    }
  }

  private static boolean ours(PersistentVolumeClaim c, Map<String, String> labels) {
    Map<String, String> have = c.getMetadata().getLabels() == null ? Map.of() : c.getMetadata().getLabels();
    return have.entrySet().containsAll(labels.entrySet());
  }

  /** Whether Deployment {@code namespace/name} exists and has all its replicas available. */
  public Optional<Boolean> deploymentAvailable(String namespace, String name) {
    try {
      Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
      if (d == null) {
        return Optional.empty();
      }
      int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      Integer have = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
      return Optional.of(have != null && have >= want);
    } catch (KubernetesClientException e) {
      throw failure("reading Deployment " + namespace + "/" + name, e);
    }
  }

  /**
   * Creates the Job (replacing one of the same name that has ended), waits until it succeeds or
   * fails or {@code timeout} passes, and reads its pod's log. The Job is left for {@link #deleteJob}.
   */
  public JobOutcome run(JobSpec spec, Duration timeout) {
    long start = System.nanoTime();
    try {
      deleteJob(spec.namespace(), spec.name());
      var container = new ContainerBuilder().withName("step").withImage(spec.image()).withCommand(spec.command())
          .withImagePullPolicy("IfNotPresent");
      var resources = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity(spec.cpuRequest()));
      if (spec.memoryLimit() != null) {
        resources.addToLimits("memory", new Quantity(spec.memoryLimit()));
      }
      if (spec.gpus() > 0) {
        resources.addToRequests("nvidia.com/gpu", new Quantity(Integer.toString(spec.gpus())))
            .addToLimits("nvidia.com/gpu", new Quantity(Integer.toString(spec.gpus())));
      }
      container.withResources(resources.build());
      if (spec.claim() != null) {
        container.addNewVolumeMount().withName("work").withMountPath(spec.mountPath()).endVolumeMount();
      }
      JobBuilder job = new JobBuilder().withNewMetadata().withName(spec.name()).withNamespace(spec.namespace())
          .withLabels(spec.labels()).endMetadata()
          .withNewSpec().withBackoffLimit(0).withTtlSecondsAfterFinished(null)
          .withNewTemplate().withNewMetadata().withLabels(spec.labels()).endMetadata()
          .withNewSpec().withRestartPolicy("Never").withContainers(container.build())
          .endSpec().endTemplate().endSpec();
      Job built = job.build();
      if (spec.claim() != null) {
        built.getSpec().getTemplate().getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder()
            .withName("work").withNewPersistentVolumeClaim().withClaimName(spec.claim()).endPersistentVolumeClaim().build());
      }
      client.batch().v1().jobs().inNamespace(spec.namespace()).resource(built).create();
      long deadline = System.nanoTime() + timeout.toNanos();
      String reason = null;
      Boolean ok = null;
      while (ok == null) {
        Job j = client.batch().v1().jobs().inNamespace(spec.namespace()).withName(spec.name()).get();
        if (j != null && j.getStatus() != null && j.getStatus().getConditions() != null) {
          for (JobCondition c : j.getStatus().getConditions()) {
            if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
              ok = true;
            } else if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
              ok = false;
              reason = c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
            }
          }
        }
        if (ok == null && System.nanoTime() > deadline) {
          ok = false;
          reason = "not done after " + timeout.toSeconds() + " s" + podState(spec);
        }
        if (ok == null) {
          Thread.sleep(1000);
        }
      }
      Pod pod = pod(spec);
      String log = "";
      String node = null;
      if (pod != null && !ok && pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
        // why the container ended, e.g. a StartError's "exec: python: executable file not found"
        for (var cs : pod.getStatus().getContainerStatuses()) {
          var t = cs.getState() == null ? null : cs.getState().getTerminated();
          if (t != null && t.getMessage() != null && !t.getMessage().isBlank()) {
            reason = (reason == null ? "" : reason + "; ") + "container " + cs.getName() + ": " + t.getReason() + ": " + t.getMessage().strip();
          }
        }
      }
      if (pod != null) {
        node = pod.getSpec().getNodeName();
        try {
          log = client.pods().inNamespace(spec.namespace()).withName(pod.getMetadata().getName()).getLog();
        } catch (KubernetesClientException e) {
          log = "(no log: " + e.getMessage() + ")";
        }
      }
      return new JobOutcome(ok, reason, log == null ? "" : log, node, (System.nanoTime() - start) / 1e9);
    } catch (KubernetesClientException e) {
      throw failure("running Job " + spec.namespace() + "/" + spec.name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while Job " + spec.namespace() + "/" + spec.name() + " ran", "run it again");
    }
  }

  private Pod pod(JobSpec spec) {
    return client.pods().inNamespace(spec.namespace()).withLabel("job-name", spec.name()).list().getItems().stream()
        .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())).orElse(null);
  }

  /** ", pod NAME: PHASE (waiting: REASON MESSAGE)", for a Job that did not end in time. */
  private String podState(JobSpec spec) {
    Pod p = pod(spec);
    if (p == null) {
      return ", no pod was made";
    }
    StringBuilder s = new StringBuilder(", pod " + p.getMetadata().getName() + ": " + p.getStatus().getPhase());
    if (p.getStatus().getContainerStatuses() != null) {
      p.getStatus().getContainerStatuses().forEach(cs -> {
        if (cs.getState() != null && cs.getState().getWaiting() != null) {
          s.append(" (waiting: ").append(cs.getState().getWaiting().getReason());
          if (cs.getState().getWaiting().getMessage() != null) {
            s.append(" ").append(cs.getState().getWaiting().getMessage());
          }
          s.append(")");
        }
      });
    }
    if (p.getStatus().getConditions() != null) {
      p.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
          .forEach(c -> s.append(" (unschedulable: ").append(c.getMessage()).append(")"));
    }
    return s.toString();
  }

  /** The first of {@code apiVersions} under which the API server serves every one of {@code kinds}. */
  public Optional<String> servedVersion(List<String> apiVersions, String... kinds) {
    for (String v : apiVersions) {
      boolean all = true;
      for (String k : kinds) {
        all &= applier.served(new ObjectRef(v, k, null, "-"));
      }
      if (all) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /**
   * Applies one object (server-side, cnai's field manager) with {@code labels} added. An object of
   * that name that does not carry them is someone else's: it is refused, never changed.
   */
  public ObjectRef apply(String yaml, String namespace, Map<String, String> labels) {
    var parsed = Applier.parse(yaml);
    ObjectRef ref = new ObjectRef(parsed.getApiVersion(), parsed.getKind(),
        parsed.getMetadata().getNamespace() != null ? parsed.getMetadata().getNamespace() : namespace, parsed.getMetadata().getName());
    var existing = applier.get(ref);
    if (existing != null && (existing.getMetadata().getLabels() == null
        || !existing.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))) {
      throw CnaiException.failure(ref.id() + " exists and was not made by cnai e2e",
          "it is left as it is; rename or remove it, or run the samples on another cluster");
    }
    return applier.apply(yaml, namespace, labels, Map.of());
  }

  /** Deletes the object when it exists and carries {@code labels} (one {@link #apply} made); any other is kept. */
  public void deleteIfOurs(ObjectRef ref, Map<String, String> labels) {
    var existing = applier.get(ref);
    if (existing != null && existing.getMetadata().getLabels() != null
        && existing.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())) {
      applier.delete(ref);
    }
  }

  /**
   * A gang: {@code workers} pods that run at once, as one of two kinds. With {@code trainingRuntime}
   * null, an Indexed Job (completions = parallelism), each pod named {@code NAME-INDEX} under the
   * headless Service {@code service}, so that worker 0 is {@code NAME-0.SERVICE.NAMESPACE.svc.cluster.local}.
   * Otherwise a Kubeflow Trainer TrainJob of that ClusterTrainingRuntime with {@code workers} nodes
   * of one process each (Trainer and JobSet make the pods and the Service, and hand torchrun its
   * peers through PET_* variables). With a {@code queue}, it is made suspended and labelled
   * {@code kueue.x-k8s.io/queue-name}: Kueue admits it whole (quota for every pod) and only then lets
   * it start.
   */
  public record GangSpec(String namespace, String name, Map<String, String> labels, String image, List<String> command,
      int workers, String service, String cpuRequest, String memoryRequest, String memoryLimit, String queue,
      String trainingRuntime) {
    public GangRef ref() {
      return new GangRef(namespace, name, trainingRuntime != null);
    }
  }

  /** A gang by name, and whether it is a TrainJob (else an Indexed Job). */
  public record GangRef(String namespace, String name, boolean trainJob) {
    ObjectRef object() {
      return trainJob ? new ObjectRef(TRAINER_API, "TrainJob", namespace, name) : new ObjectRef("batch/v1", "Job", namespace, name);
    }

    /** The label every pod of the gang carries. */
    String podSelector() {
      return trainJob ? "jobset.sigs.k8s.io/jobset-name" : "job-name";
    }
  }

  /** A gang's state: whether it is held (suspended), how many pods it has, and how it ended (null: not yet). */
  public record GangState(boolean suspended, int pods, Boolean succeeded, String reason) {}

  /** A worker of a gang: its pod, node and log. */
  public record Worker(int index, String pod, String node, String log) {}

  public static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
  public static final String TRAINER_API = "trainer.kubeflow.org/v1alpha1";

  /** Whether the object exists (false too when its kind is not served). */
  public boolean exists(String apiVersion, String kind, String namespace, String name) {
    return applier.served(new ObjectRef(apiVersion, kind, namespace, name)) && applier.get(new ObjectRef(apiVersion, kind, namespace, name)) != null;
  }

  public void createGang(GangSpec s) {
    try {
      deleteGang(s.ref());
      Map<String, String> jobLabels = new LinkedHashMap<>(s.labels());
      if (s.queue() != null) {
        jobLabels.put(KUEUE_QUEUE_LABEL, s.queue());
      }
      if (s.trainingRuntime() != null) {
        Map<String, Object> trainer = new LinkedHashMap<>();
        trainer.put("image", s.image());
        trainer.put("command", s.command());
        trainer.put("numNodes", s.workers());
        trainer.put("numProcPerNode", 1);
        trainer.put("resourcesPerNode", Map.of("requests", Map.of("cpu", s.cpuRequest(), "memory", s.memoryRequest()),
            "limits", Map.of("memory", s.memoryLimit())));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("suspend", s.queue() != null);
        spec.put("runtimeRef", Map.of("apiGroup", "trainer.kubeflow.org", "kind", "ClusterTrainingRuntime", "name", s.trainingRuntime()));
        spec.put("trainer", trainer);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", TRAINER_API);
        doc.put("kind", "TrainJob");
        doc.put("metadata", Map.of("name", s.name(), "namespace", s.namespace()));
        doc.put("spec", spec);
        applier.apply(io.cnai.installer.json.Mappers.JSON.writeValueAsString(doc), s.namespace(), jobLabels, Map.of());
        return;
      }
      var container = new ContainerBuilder().withName("worker").withImage(s.image()).withCommand(s.command())
          .withImagePullPolicy("IfNotPresent").withResources(new ResourceRequirementsBuilder()
              .addToRequests("cpu", new Quantity(s.cpuRequest())).addToRequests("memory", new Quantity(s.memoryRequest()))
              .addToLimits("memory", new Quantity(s.memoryLimit())).build())
          .build();
      Job job = new JobBuilder().withNewMetadata().withName(s.name()).withNamespace(s.namespace()).withLabels(jobLabels).endMetadata()
          .withNewSpec().withCompletionMode("Indexed").withCompletions(s.workers()).withParallelism(s.workers())
          .withBackoffLimit(0).withSuspend(s.queue() != null)
          .withNewTemplate().withNewMetadata().withLabels(s.labels()).endMetadata()
          .withNewSpec().withRestartPolicy("Never").withSubdomain(s.service()).withContainers(container)
          .endSpec().endTemplate().endSpec().build();
      client.batch().v1().jobs().inNamespace(s.namespace()).resource(job).create();
    } catch (KubernetesClientException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw CnaiException.failure("creating " + s.ref().object().id() + " failed: " + e.getMessage(),
          "check that the cluster runs and that your kubeconfig may do this", e);
    }
  }

  /** Deletes the gang and its pods now (no grace), when it exists; waits until a TrainJob is gone (its name is reused). */
  public void deleteGang(GangRef g) {
    if (!g.trainJob()) {
      deleteJob(g.namespace(), g.name());
      return;
    }
    try {
      if (applier.served(g.object()) && applier.delete(g.object())) {
        client.pods().inNamespace(g.namespace()).withLabel(g.podSelector(), g.name()).withGracePeriod(0).delete();
        applier.awaitGone(g.object(), Duration.ofSeconds(60));
      }
    } catch (KubernetesClientException e) {
      throw failure("deleting " + g.object().id(), e);
    }
  }

  public GangState gang(GangRef g) {
    try {
      int pods = client.pods().inNamespace(g.namespace()).withLabel(g.podSelector(), g.name()).list().getItems().size();
      Map<String, Object> obj = g.trainJob() ? genericMap(applier.get(g.object()))
          : genericMap(client.batch().v1().jobs().inNamespace(g.namespace()).withName(g.name()).get());
      if (obj == null) {
        return new GangState(false, pods, false, g.object().id() + " is gone");
      }
      Map<?, ?> spec = obj.get("spec") instanceof Map<?, ?> m ? m : Map.of();
      Map<?, ?> status = obj.get("status") instanceof Map<?, ?> m ? m : Map.of();
      Boolean ok = null;
      String reason = null;
      if (status.get("conditions") instanceof List<?> conditions) {
        for (Object o : conditions) {
          if (o instanceof Map<?, ?> c && "True".equals(c.get("status"))) {
            if ("Complete".equals(c.get("type"))) {
              ok = true;
            } else if ("Failed".equals(c.get("type"))) {
              ok = false;
              reason = c.get("reason") + (c.get("message") == null ? "" : ": " + c.get("message"));
            }
          }
        }
      }
      return new GangState(Boolean.TRUE.equals(spec.get("suspend")), pods, ok, reason);
    } catch (KubernetesClientException e) {
      throw failure("reading " + g.object().id(), e);
    }
  }

  private static Map<String, Object> genericMap(Object o) {
    return o == null ? null : io.cnai.installer.json.Mappers.JSON.convertValue(o,
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
  }

  /** The gang's workers by completion index (the newest pod of each), with their logs. */
  public List<Worker> workers(GangRef g) {
    String namespace = g.namespace();
    try {
      Map<Integer, Pod> newest = new java.util.TreeMap<>();
      for (Pod p : client.pods().inNamespace(namespace).withLabel(g.podSelector(), g.name()).list().getItems()) {
        String idx = p.getMetadata().getAnnotations() == null ? null
            : p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index");
        if (idx != null) {
          newest.merge(Integer.parseInt(idx), p,
              (a, b) -> a.getMetadata().getCreationTimestamp().compareTo(b.getMetadata().getCreationTimestamp()) >= 0 ? a : b);
        }
      }
      List<Worker> out = new java.util.ArrayList<>();
      newest.forEach((i, p) -> {
        String log;
        try {
          log = client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).getLog();
        } catch (KubernetesClientException e) {
          log = "(no log: " + e.getMessage() + ")";
        }
        out.add(new Worker(i, p.getMetadata().getName(), p.getSpec().getNodeName(), log == null ? "" : log));
      });
      return out;
    } catch (KubernetesClientException e) {
      throw failure("reading the pods of " + g.object().id(), e);
    }
  }

  public static final String RAY_API = "ray.io/v1";

  /**
   * A KubeRay RayJob's state: {@code deployment} is KubeRay's {@code jobDeploymentStatus}
   * (Initializing, Running, Complete, Failed, ...), {@code job} Ray's own job status (PENDING,
   * RUNNING, SUCCEEDED, FAILED, STOPPED); either null until set. {@code cluster} is the RayCluster
   * it made; {@code reason} and {@code message} say why it failed.
   */
  public record RayJobState(String deployment, String job, String cluster, String reason, String message) {
    /** Whether KubeRay is done with it (Complete or Failed). */
    public boolean ended() {
      return "Complete".equals(deployment) || "Failed".equals(deployment);
    }

    public boolean succeeded() {
      return "Complete".equals(deployment) && "SUCCEEDED".equals(job);
    }
  }

  /** The RayJob's state; a gone RayJob is Failed with reason "Gone". */
  public RayJobState rayJob(String namespace, String name) {
    ObjectRef ref = new ObjectRef(RAY_API, "RayJob", namespace, name);
    try {
      Map<String, Object> obj = genericMap(applier.get(ref));
      if (obj == null) {
        return new RayJobState("Failed", null, null, "Gone", ref.id() + " is gone");
      }
      Map<?, ?> status = obj.get("status") instanceof Map<?, ?> m ? m : Map.of();
      return new RayJobState(str(status.get("jobDeploymentStatus")), str(status.get("jobStatus")), str(status.get("rayClusterName")),
          str(status.get("reason")), str(status.get("message")));
    } catch (KubernetesClientException e) {
      throw failure("reading " + ref.id(), e);
    }
  }

  private static String str(Object o) {
    return o == null || o.toString().isBlank() ? null : o.toString();
  }

  /** The pods labelled {@code key=value}, oldest first, each with its node and log. */
  public List<Worker> pods(String namespace, String key, String value) {
    try {
      List<Worker> out = new java.util.ArrayList<>();
      List<Pod> pods = new java.util.ArrayList<>(client.pods().inNamespace(namespace).withLabel(key, value).list().getItems());
      pods.sort(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
      for (Pod p : pods) {
        String log;
        try {
          log = client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).getLog();
        } catch (KubernetesClientException e) {
          log = "(no log: " + e.getMessage() + ")";
        }
        out.add(new Worker(out.size(), p.getMetadata().getName(), p.getSpec().getNodeName(), log == null ? "" : log));
      }
      return out;
    } catch (KubernetesClientException e) {
      throw failure("reading the pods labelled " + key + "=" + value + " in " + namespace, e);
    }
  }

  /**
   * Deletes the object when it exists and carries {@code labels}, and waits until it is gone (its
   * name is reused by the next run); any other is kept.
   */
  public void deleteIfOursAndWait(ObjectRef ref, Map<String, String> labels, Duration max) {
    if (!applier.served(ref)) {
      return;
    }
    var existing = applier.get(ref);
    if (existing != null && existing.getMetadata().getLabels() != null
        && existing.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())) {
      applier.delete(ref);
      String still = applier.awaitGone(ref, max);
      if (still != null) {
        throw CnaiException.failure(ref.id() + " is not gone " + max.toSeconds() + " s after its deletion: " + still,
            "look at it with kubectl get -o yaml (a finalizer?) and delete it, then run again");
      }
    }
  }

  /**
   * A headless Service selecting {@code selector}, publishing pods before they are ready: the DNS
   * names by which a gang's workers find each other.
   */
  public void ensureHeadlessService(String namespace, String name, Map<String, String> selector, Map<String, String> labels) {
    try {
      client.services().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
          .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true).withSelector(selector).endSpec().build())
          .createOr(existing -> existing.update());
    } catch (KubernetesClientException e) {
      throw failure("making Service " + namespace + "/" + name, e);
    }
  }

  public void deleteService(String namespace, String name) {
    try {
      client.services().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      throw failure("deleting Service " + namespace + "/" + name, e);
    }
  }

  /** Deletes the Job and its pods now (no grace), when it exists. */
  public void deleteJob(String namespace, String name) {
    try {
      client.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(
          io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).withGracePeriod(0).delete();
      client.pods().inNamespace(namespace).withLabel("job-name", name).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      throw failure("deleting Job " + namespace + "/" + name, e);
    }
  }

  /**
   * The value under {@code key} of Secret {@code namespace/name}; when the Secret is missing it is
   * made with {@code value}'s answer and {@code labels} (the namespace too, when missing). An
   * existing Secret is never changed, so a token once handed out stays valid.
   */
  public String secretValue(String namespace, String name, String key, java.util.function.Supplier<String> value,
      Map<String, String> labels) {
    try {
      io.fabric8.kubernetes.api.model.Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s == null) {
        ensureNamespace(namespace, Map.of());
        String v = value.get();
        try {
          client.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
              .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
              .withType("Opaque").addToStringData(key, v).build()).create();
          return v;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          s = client.secrets().inNamespace(namespace).withName(name).get();
        }
      }
      String b64 = s.getData() == null ? null : s.getData().get(key);
      if (b64 == null) {
        throw CnaiException.failure("Secret " + namespace + "/" + name + " has no key '" + key + "'",
            "add it (kubectl -n " + namespace + " edit secret " + name + "), or delete the Secret to have a new one made");
      }
      return new String(java.util.Base64.getDecoder().decode(b64), java.nio.charset.StandardCharsets.UTF_8);
    } catch (KubernetesClientException e) {
      throw failure("reading or making Secret " + namespace + "/" + name, e);
    }
  }

  /** The InternalIP of the first node that is not simulated (kwok), where NodePorts answer. */
  public Optional<String> nodeAddress() {
    try {
      return client.nodes().list().getItems().stream()
          .filter(n -> n.getMetadata().getAnnotations() == null || !n.getMetadata().getAnnotations().containsKey(ClusterFacts.SIMULATED_ANNOTATION))
          .flatMap(n -> n.getStatus().getAddresses().stream())
          .filter(a -> "InternalIP".equals(a.getType())).map(a -> a.getAddress()).findFirst();
    } catch (KubernetesClientException e) {
      throw failure("reading the nodes' addresses", e);
    }
  }

  /** Labels as given, in order. */
  public static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static CnaiException failure(String what, KubernetesClientException e) {
    return CnaiException.failure(what + " failed: " + e.getMessage(), "check that the cluster runs and that your kubeconfig may do this", e);
  }
}
