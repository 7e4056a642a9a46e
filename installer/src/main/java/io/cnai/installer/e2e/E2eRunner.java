package io.cnai.installer.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cnai.core.CnaiException;
import io.cnai.installer.json.Mappers;
import io.cnai.installer.kube.ClusterFacts;
import io.cnai.installer.kube.Workloads;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the samples on a cluster whose nodes run containers, as the steps of
 * {@code sample-pipelines/cluster/digits_cluster.py}: one Job a step (prepare, train, register,
 * check) from the sample-pipelines image, sharing a scratch claim, against the starter release's
 * MLflow and model server. The check step reaches the model server by its Service's DNS name.
 * What the cluster cannot run is reported not run, with why; it never passes.
 */
public final class E2eRunner {
  /** Where the starter release (distro/starter) puts its services. */
  public static final String STARTER_NAMESPACE = "cnai-starter";
  public static final String MLFLOW_URL = "http://mlflow." + STARTER_NAMESPACE + ".svc.cluster.local:5000";
  public static final String MODEL_SERVER_URL = "http://model-server." + STARTER_NAMESPACE + ".svc.cluster.local:8080";
  /**
   * Where the steps' scratch claim is mounted: a path of its own, since the image keeps its Python
   * environment at the path it has on the machine that built it (e.g. under /work), which a mount
   * there would hide ("python": executable file not found).
   */
  public static final String WORKDIR = "/var/cnai/work";
  /** Where the steps run; made when missing, kept (it holds nothing once a run is over). */
  public static final String NAMESPACE = "cnai-e2e";

  private final Workloads workloads;
  private final ClusterFacts facts;

  public E2eRunner(Workloads workloads, ClusterFacts facts) {
    this.workloads = workloads;
    this.facts = facts;
  }

  public E2eReport run(E2eOptions o, Consumer<String> progress) {
    long start = System.nanoTime();
    List<E2eReport.PipelineResult> results = new ArrayList<>();
    for (Pipeline p : o.pipelines()) {
      Optional<String> why = whyNotRun(p);
      if (why.isPresent()) {
        progress.accept(p.name() + ": not run: " + why.get());
        results.add(new E2eReport.PipelineResult(p.name(), E2eReport.Outcome.NOT_RUN, why.get(), List.of(), 0));
        continue;
      }
      results.add(p.queued() ? queued(p, o, progress) : p.rayJob() && kuberay() ? rayJob(p, o, progress)
          : p.step() != null ? single(p, o, progress) : digits(p, o, progress));
    }
    return new E2eReport(results, (System.nanoTime() - start) / 1e9);
  }

  /** Why this cluster cannot run {@code p}, or empty when it can. */
  Optional<String> whyNotRun(Pipeline p) {
    if (!facts.runsContainers()) {
      return Optional.of("no node of this cluster runs containers (simulated nodes); use a cluster with real nodes, "
          + "e.g. cnai cluster create --provider local --local-registry");
    }
    if (p.gpu()) {
      int gpus = facts.nodes().stream().filter(n -> !n.simulated()).mapToInt(ClusterFacts.NodeFacts::gpus).sum();
      if (gpus == 0) {
        return Optional.of("no node that runs containers offers nvidia.com/gpu; training on a GPU cannot be shown here");
      }
    }
    if (p.queued() && workloads.servedVersion(Pipeline.KUEUE_VERSIONS, "ResourceFlavor", "ClusterQueue", "LocalQueue").isEmpty()) {
      return Optional.of("Kueue is not served on this cluster (no kueue.x-k8s.io ClusterQueue and LocalQueue); on a cnai cluster "
          + "add it with installer/tools/install-addon.sh kueue --cluster NAME, elsewhere install a release with Kueue");
    }
    if (p.rayJob() && kuberay()) {
      return Optional.empty();
    }
    for (String d : p.starter()) {
      if (workloads.deploymentAvailable(STARTER_NAMESPACE, d).isEmpty()) {
        return Optional.of("Deployment " + STARTER_NAMESPACE + "/" + d + " is missing: install the starter release first "
            + "(cnai install --distribution distro/starter/distribution.yaml --profiles-dir distro/starter/profiles --profile starter)"
            + (p.rayJob() ? ", or KubeRay (installer/tools/install-addon.sh kuberay on a cnai cluster)" : ""));
      }
    }
    return Optional.empty();
  }

  /** Whether KubeRay's RayJob and RayCluster are served. */
  private boolean kuberay() {
    return workloads.servedVersion(List.of(Workloads.RAY_API), "RayJob", "RayCluster").isPresent();
  }

  private E2eReport.PipelineResult digits(Pipeline p, E2eOptions o, Consumer<String> progress) {
    String work = WORKDIR;
    return run(p, o, progress, "2Gi", List.of(
        List.of("prepare", "--workdir", work),
        List.of("train", "--workdir", work, "--epochs", Integer.toString(o.epochs()), "--device", p.gpu() ? "cuda" : "auto"),
        List.of("register", "--workdir", work, "--tracking-uri", MLFLOW_URL),
        List.of("check", "--server", MODEL_SERVER_URL, "--min-accuracy", Double.toString(o.minAccuracy()),
            "--timeout-s", Long.toString(Math.max(30, o.stepTimeout().toSeconds() - 30)))),
        steps -> checkFigures(p, steps, o));
  }

  /**
   * A sample of one Job (feast-features; ray-tune, whose Job is a Ray Client of the starter's Ray
   * head, where the trials run): its RESULT's accuracy must reach the bar.
   */
  private E2eReport.PipelineResult single(Pipeline p, E2eOptions o, Consumer<String> progress) {
    List<String> args = new ArrayList<>(List.of(p.step(), "--workdir", WORKDIR, "--min-accuracy", Double.toString(o.minAccuracy())));
    if (p.starter().contains("ray-head")) {
      args.addAll(List.of("--ray-address", Pipeline.RAY_CLIENT));
    }
    return run(p, o, progress, "3Gi", List.of(args),
        steps -> {
          Object acc = steps.get(0).result().get("accuracy");
          return acc instanceof Number n && n.doubleValue() >= o.minAccuracy() ? null : "accuracy " + acc + " is below " + o.minAccuracy();
        });
  }

  /**
   * Runs {@code commands} (each a {@code digits_cluster} subcommand and its arguments) one Job after
   * the other in {@link #NAMESPACE}, sharing a scratch claim at {@link #WORKDIR} (not mounted by {@code check}),
   * stops at the first that fails, then asks {@code figures} what the results must still show
   * (null: nothing wrong). The Jobs and the claim are deleted afterwards unless {@code --keep}.
   */
  private E2eReport.PipelineResult run(Pipeline p, E2eOptions o, Consumer<String> progress, String memory,
      List<List<String>> commands, Function<List<E2eReport.Step>, String> figures) {
    long start = System.nanoTime();
    Map<String, String> labels = Workloads.labels("app.kubernetes.io/managed-by", "cnai", "app.kubernetes.io/part-of", "cnai-e2e",
        "cnai.io/e2e-pipeline", p.name());
    String claim = p.name() + "-work";
    workloads.ensureNamespace(NAMESPACE, Workloads.labels("app.kubernetes.io/managed-by", "cnai"));
    List<E2eReport.Step> steps = new ArrayList<>();
    String failure = null;
    try {
      workloads.ensureClaim(NAMESPACE, claim, "1Gi", labels);
      for (List<String> args : commands) {
        String step = args.get(0);
        List<String> command = new ArrayList<>(List.of("python", "-m", "digits_cluster"));
        command.addAll(args);
        int gpus = p.gpu() && step.equals("train") ? 1 : 0;
        progress.accept(p.name() + ": " + step + (gpus > 0 ? " (1 GPU)" : "") + " ...");
        Workloads.JobOutcome out = workloads.run(new Workloads.JobSpec(NAMESPACE, p.name() + "-" + step, labels, o.image(), command,
            step.equals("check") ? null : claim, WORKDIR, gpus, "100m", memory), o.stepTimeout());
        Map<String, Object> result = resultLine(out.log());
        boolean ok = out.succeeded() && !result.isEmpty();
        String reason = out.succeeded() ? (result.isEmpty() ? "the step printed no RESULT line" : null) : out.reason();
        steps.add(new E2eReport.Step(step, ok, out.seconds(), result, out.node(), reason, ok ? null : tail(out.log(), 15)));
        progress.accept(String.format(Locale.ROOT, "%s: %s %s in %.1f s", p.name(), step, ok ? "done" : "FAILED", out.seconds()));
        if (!ok) {
          failure = "step " + step + " failed: " + reason;
          break;
        }
      }
      if (failure == null) {
        failure = figures.apply(steps);
      }
    } finally {
      if (!o.keep()) {
        for (List<String> args : commands) {
          workloads.deleteJob(NAMESPACE, p.name() + "-" + args.get(0));
        }
        workloads.deleteClaim(NAMESPACE, claim, labels);
      }
    }
    return new E2eReport.PipelineResult(p.name(), failure == null ? E2eReport.Outcome.PASSED : E2eReport.Outcome.FAILED,
        failure, steps, (System.nanoTime() - start) / 1e9);
  }

  /** The Ray version of the sample-pipelines image (requirements.txt), as a RayJob declares it. */
  static final String RAY_VERSION = "2.52.0";
  /** Ray's object store in each Ray pod, in shared memory (an emptyDir of medium Memory at /dev/shm). */
  static final long OBJECT_STORE_BYTES = 200_000_000L;
  /**
   * Health of a Ray pod as HTTP probes of its own: KubeRay's default probes for this Ray version run
   * {@code wget} in the container, and the image's busybox wget crashes resolving localhost (a static
   * binary loading this machine's NSS libraries). The head is ready when its dashboard sees the GCS,
   * a worker when its dashboard agent sees its raylet (the paths of KubeRay's own checks).
   */
  static final String HEAD_HEALTH_PATH = "/api/gcs_healthz";
  static final int DASHBOARD_PORT = 8265;
  static final String WORKER_HEALTH_PATH = "/api/local_raylet_healthz";
  static final int AGENT_PORT = 52365;
  /** Ray nodes of the RayJob's cluster: the head and one worker. */
  static final int RAY_NODES = 2;

  /**
   * ray-tune on KubeRay: a RayJob whose RayCluster (a head of 1 CPU and one worker of 2, each with
   * an object store in shared memory) is made for it by the KubeRay operator, whose submitter Job
   * runs {@code digits_cluster tune} through Ray's job API. The submitter's log carries the driver's
   * output (its RESULT line); the trials must reach the accuracy asked for and the cluster must have
   * had {@link #RAY_NODES} nodes. The RayJob (and with it its RayCluster) is deleted afterwards
   * unless {@code --keep}.
   */
  private E2eReport.PipelineResult rayJob(Pipeline p, E2eOptions o, Consumer<String> progress) {
    long start = System.nanoTime();
    Map<String, String> labels = Workloads.labels("app.kubernetes.io/managed-by", "cnai", "app.kubernetes.io/part-of", "cnai-e2e",
        "cnai.io/e2e-pipeline", p.name());
    io.cnai.installer.kube.ObjectRef ref = new io.cnai.installer.kube.ObjectRef(Workloads.RAY_API, "RayJob", NAMESPACE, p.name());
    workloads.ensureNamespace(NAMESPACE, Workloads.labels("app.kubernetes.io/managed-by", "cnai"));
    List<E2eReport.Step> steps = new ArrayList<>();
    String failure;
    try {
      workloads.deleteIfOursAndWait(ref, labels, Duration.ofSeconds(120));
      workloads.apply(rayJobYaml(p, o), NAMESPACE, labels);
      progress.accept(p.name() + ": RayJob " + NAMESPACE + "/" + p.name() + " (KubeRay) on a RayCluster of a head and "
          + (RAY_NODES - 1) + " worker ...");
      failure = watchRayJob(p, o, progress, steps, start);
    } finally {
      if (!o.keep()) {
        workloads.deleteIfOursAndWait(ref, labels, Duration.ofSeconds(120));
      }
    }
    return new E2eReport.PipelineResult(p.name(), failure == null ? E2eReport.Outcome.PASSED : E2eReport.Outcome.FAILED,
        failure, steps, (System.nanoTime() - start) / 1e9);
  }

  /** The RayJob that runs ray-tune: the image's Ray, the step's timeout as its deadline, small requests. */
  static String rayJobYaml(Pipeline p, E2eOptions o) {
    String entrypoint = String.join(" ", "python", "-m", "digits_cluster", p.step(), "--workdir", "/tmp/cnai-" + p.step(),
        "--min-accuracy", Double.toString(o.minAccuracy()));
    String pod = """
                spec:
                  containers:
                    - name: %1$s
                      image: "%2$s"
                      imagePullPolicy: IfNotPresent
                      env:
                        - {name: RAY_worker_register_timeout_seconds, value: "600"}
                        - {name: OMP_NUM_THREADS, value: "1"}
                      resources:
                        requests: {cpu: 100m, memory: 1Gi}
                        limits: {memory: 4Gi}
                      readinessProbe:
                        httpGet: {path: "%3$s", port: %4$d}
                        initialDelaySeconds: 10
                        periodSeconds: 5
                        timeoutSeconds: 5
                        failureThreshold: 60
                      livenessProbe:
                        httpGet: {path: "%3$s", port: %4$d}
                        initialDelaySeconds: 30
                        periodSeconds: 10
                        timeoutSeconds: 5
                        failureThreshold: 60
                      volumeMounts:
                        - {name: shm, mountPath: /dev/shm}
                  volumes:
                    - name: shm
                      emptyDir: {medium: Memory, sizeLimit: 256Mi}
        """;
    return """
        apiVersion: %s
        kind: RayJob
        metadata:
          name: %s
          namespace: %s
        spec:
          entrypoint: %s
          activeDeadlineSeconds: %d
          backoffLimit: 0
          submitterPodTemplate:
            spec:
              restartPolicy: Never
              containers:
                - name: submitter
                  image: "%s"
                  imagePullPolicy: IfNotPresent
                  resources:
                    requests: {cpu: 50m, memory: 256Mi}
                    limits: {memory: 1Gi}
          rayClusterSpec:
            rayVersion: "%s"
            headGroupSpec:
              rayStartParams: {num-cpus: "1", object-store-memory: "%d", dashboard-host: 0.0.0.0, disable-usage-stats: "true"}
              template:
        %s    workerGroupSpecs:
              - groupName: cpu
                replicas: %d
                minReplicas: %d
                maxReplicas: %d
                rayStartParams: {num-cpus: "2", object-store-memory: "%d", disable-usage-stats: "true"}
                template:
        %s""".formatted(Workloads.RAY_API, p.name(), NAMESPACE, entrypoint, o.stepTimeout().toSeconds(), o.image(), RAY_VERSION,
        OBJECT_STORE_BYTES, pod.formatted("ray-head", o.image(), HEAD_HEALTH_PATH, DASHBOARD_PORT), RAY_NODES - 1, RAY_NODES - 1, RAY_NODES - 1,
        OBJECT_STORE_BYTES, pod.formatted("ray-worker", o.image(), WORKER_HEALTH_PATH, AGENT_PORT).indent(2));
  }

  /** Follows the RayJob to its end, then reads the driver's RESULT from the submitter's log; null when all is well. */
  private String watchRayJob(Pipeline p, E2eOptions o, Consumer<String> progress, List<E2eReport.Step> steps, long start) {
    long deadline = start + o.stepTimeout().toNanos() + Duration.ofSeconds(60).toNanos();
    Workloads.RayJobState state = workloads.rayJob(NAMESPACE, p.name());
    String seen = null;
    try {
      while (!state.ended()) {
        String now = (state.deployment() == null ? "made, not reconciled yet" : state.deployment())
            + (state.job() == null ? "" : ", job " + state.job());
        if (!now.equals(seen)) {
          progress.accept(String.format(Locale.ROOT, "%s: RayJob %s (%.0f s)", p.name(), now, (System.nanoTime() - start) / 1e9));
          seen = now;
        }
        if (System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(1000);
        state = workloads.rayJob(NAMESPACE, p.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while " + p.name() + " ran", "run it again");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Workloads.Worker> submitters = workloads.pods(NAMESPACE, "job-name", p.name());
    String log = submitters.isEmpty() ? "" : submitters.get(submitters.size() - 1).log();
    Map<String, Object> result = new java.util.LinkedHashMap<>(resultLine(log)); // it may be an empty Map.of()
    List<Workloads.Worker> head = state.cluster() == null ? List.of()
        : workloads.pods(NAMESPACE, "ray.io/cluster", state.cluster()).stream().filter(w -> w.pod().contains("head")).toList();
    result.put("kind", "RayJob");
    result.put("ray_cluster", state.cluster());
    result.put("job_status", state.job());
    String reason = null;
    if (!state.ended()) {
      reason = "not done after " + o.stepTimeout().toSeconds() + " s: RayJob " + state.deployment() + ", job " + state.job();
    } else if (!state.succeeded()) {
      reason = "RayJob " + state.deployment() + ", job " + state.job()
          + (state.reason() == null ? "" : ": " + state.reason()) + (state.message() == null ? "" : ": " + state.message());
    } else if (!result.containsKey("accuracy")) {
      reason = "the driver printed no RESULT line in the submitter's log";
    } else if (!(result.get("accuracy") instanceof Number n && n.doubleValue() >= o.minAccuracy())) {
      reason = "accuracy " + result.get("accuracy") + " is below " + o.minAccuracy();
    } else if (!Integer.valueOf(RAY_NODES).equals(result.get("ray_nodes"))) {
      reason = "the Ray cluster had " + result.get("ray_nodes") + " node(s), not " + RAY_NODES + ": the job did not run on its RayCluster";
    }
    String node = head.isEmpty() ? null : head.get(0).node();
    steps.add(new E2eReport.Step(p.step(), reason == null, seconds, result, node, reason, reason == null ? null : tail(log, 15)));
    progress.accept(String.format(Locale.ROOT, "%s: %s %s in %.1f s", p.name(), p.step(), reason == null ? "done" : "FAILED", seconds));
    return reason;
  }

  /** Workers of each queued-training job, and what each asks for (the ClusterQueue's quota fits one job). */
  static final int WORKERS = 2;
  static final String WORKER_CPU = "100m";
  static final String WORKER_MEMORY = "1Gi";
  /** How long Kueue may take to admit the first job (its controller reconciles within seconds). */
  static final Duration ADMISSION_WAIT = Duration.ofSeconds(120);
  /** Kubeflow Trainer's runtime the TrainJobs name, where Trainer is served. */
  static final String TRAINING_RUNTIME = "torch-distributed";

  /**
   * queued-training: a ResourceFlavor, a ClusterQueue whose quota fits exactly one job of
   * {@link #WORKERS} workers, and a LocalQueue; then two such jobs at once (Kubeflow Trainer
   * TrainJobs of {@link #TRAINING_RUNTIME} where that runtime exists, else Indexed Jobs; suspended,
   * naming the LocalQueue) whose workers train the digits model with torchrun (DDP). Kueue must admit
   * them whole and one at a time: a held job has no pod at all, an admitted one all of its workers,
   * never both at once. Each job's worker 0 must reach the accuracy asked for, with every worker in one
   * world. The queue objects, Jobs and Service are removed afterwards unless {@code --keep}.
   */
  private E2eReport.PipelineResult queued(Pipeline p, E2eOptions o, Consumer<String> progress) {
    long start = System.nanoTime();
    String kueue = workloads.servedVersion(Pipeline.KUEUE_VERSIONS, "ResourceFlavor", "ClusterQueue", "LocalQueue").orElseThrow();
    Map<String, String> labels = Workloads.labels("app.kubernetes.io/managed-by", "cnai", "app.kubernetes.io/part-of", "cnai-e2e",
        "cnai.io/e2e-pipeline", p.name());
    String queue = "cnai-e2e-" + p.name();
    List<String> jobs = List.of(p.name() + "-1", p.name() + "-2");
    List<io.cnai.installer.kube.ObjectRef> made = new ArrayList<>();
    List<Workloads.GangRef> gangs = new ArrayList<>();
    List<E2eReport.Step> steps = new ArrayList<>();
    String failure = null;
    workloads.ensureNamespace(NAMESPACE, Workloads.labels("app.kubernetes.io/managed-by", "cnai"));
    try {
      Quantity cpu = Quantity.parse(WORKER_CPU);
      Quantity mem = Quantity.parse(WORKER_MEMORY);
      made.add(workloads.apply("apiVersion: %s\nkind: ResourceFlavor\nmetadata: {name: %s}\n".formatted(kueue, queue), null, labels));
      made.add(workloads.apply("""
          apiVersion: %s
          kind: ClusterQueue
          metadata: {name: %s}
          spec:
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: %s}
            queueingStrategy: StrictFIFO
            resourceGroups:
              - coveredResources: [cpu, memory]
                flavors:
                  - name: %s
                    resources:
                      - {name: cpu, nominalQuota: "%s"}
                      - {name: memory, nominalQuota: "%s"}
          """.formatted(kueue, queue, NAMESPACE, queue, cpu.multiply(WORKERS), mem.multiply(WORKERS)), null, labels));
      made.add(workloads.apply("""
          apiVersion: %s
          kind: LocalQueue
          metadata: {name: %s, namespace: %s}
          spec: {clusterQueue: %s}
          """.formatted(kueue, queue, NAMESPACE, queue), NAMESPACE, labels));
      // Kubeflow Trainer where it is served (a TrainJob of its torch-distributed runtime, as users
      // run it); else the same workers as Indexed Jobs under a headless Service of cnai's
      String runtime = workloads.exists(Workloads.TRAINER_API, "ClusterTrainingRuntime", null, TRAINING_RUNTIME) ? TRAINING_RUNTIME : null;
      if (runtime == null) {
        workloads.ensureHeadlessService(NAMESPACE, p.name(), Map.of("cnai.io/e2e-pipeline", p.name()), labels);
      }
      for (String job : jobs) {
        List<String> command = new ArrayList<>(List.of("python", "-m", "digits_cluster", "ddp", "--nnodes", Integer.toString(WORKERS),
            "--epochs", Integer.toString(o.epochs()), "--min-accuracy", Double.toString(o.minAccuracy())));
        if (runtime == null) {
          command.addAll(List.of("--master-addr", job + "-0." + p.name() + "." + NAMESPACE + ".svc.cluster.local"));
        }
        Workloads.GangSpec spec = new Workloads.GangSpec(NAMESPACE, job, labels, o.image(), command,
            WORKERS, runtime == null ? p.name() : null, WORKER_CPU, WORKER_MEMORY, "2Gi", queue, runtime);
        gangs.add(spec.ref());
        workloads.createGang(spec);
      }
      progress.accept(p.name() + ": " + jobs.size() + " " + (runtime == null ? "Indexed Jobs" : "TrainJobs (Kubeflow Trainer, " + runtime + ")")
          + " of " + WORKERS + " workers queued in LocalQueue " + NAMESPACE + "/" + queue + " (quota for one)");
      failure = watchQueue(p, gangs, o, progress, steps);
    } finally {
      if (!o.keep()) {
        gangs.forEach(workloads::deleteGang);
        workloads.deleteService(NAMESPACE, p.name());
        for (int i = made.size() - 1; i >= 0; i--) {
          workloads.deleteIfOurs(made.get(i), labels);
        }
      }
    }
    return new E2eReport.PipelineResult(p.name(), failure == null ? E2eReport.Outcome.PASSED : E2eReport.Outcome.FAILED,
        failure, steps, (System.nanoTime() - start) / 1e9);
  }

  /** Watches the two jobs to their ends, checking Kueue's admission on the way; null when all is as it must be. */
  private String watchQueue(Pipeline p, List<Workloads.GangRef> gangs, E2eOptions o, Consumer<String> progress,
      List<E2eReport.Step> steps) {
    List<String> jobs = gangs.stream().map(Workloads.GangRef::name).toList();
    Map<String, Workloads.GangRef> byName = new LinkedHashMap<>();
    gangs.forEach(g -> byName.put(g.name(), g));
    long t0 = System.nanoTime();
    long deadline = t0 + o.stepTimeout().toNanos() * jobs.size();
    QueueWatch watch = new QueueWatch(jobs);
    try {
      while (!watch.done()) {
        double now = (System.nanoTime() - t0) / 1e9;
        Map<String, Workloads.GangState> states = new LinkedHashMap<>();
        jobs.forEach(j -> states.put(j, workloads.gang(byName.get(j))));
        String wrong = watch.observe(now, states, event -> progress.accept(p.name() + ": " + event));
        if (wrong != null) {
          return wrong;
        }
        if (!watch.anyAdmitted() && now > ADMISSION_WAIT.toSeconds()) {
          return "Kueue admitted no job within " + ADMISSION_WAIT.toSeconds() + " s; is its controller running? "
              + "(kubectl -n kueue-system get deployments; kubectl -n " + NAMESPACE + " get workloads)";
        }
        if (System.nanoTime() > deadline) {
          return "not done after " + o.stepTimeout().toSeconds() * jobs.size() + " s: " + watch.last();
        }
        if (!watch.done()) {
          Thread.sleep(500);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while " + p.name() + " ran", "run it again");
    }
    String failure = null;
    for (String j : jobs) {
      Workloads.GangState s = watch.last(j);
      List<Workloads.Worker> workers = workloads.workers(byName.get(j));
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("kind", byName.get(j).trainJob() ? "TrainJob" : "Job");
      result.put("waited_s", round(watch.admittedAt(j)));
      result.put("workers", workers.size());
      List<Object> ranks = new ArrayList<>();
      String reason = Boolean.TRUE.equals(s.succeeded()) ? null : s.reason();
      String logTail = null;
      for (Workloads.Worker w : workers) {
        Map<String, Object> r = resultLine(w.log());
        ranks.add(r.get("rank"));
        if (w.index() == 0) {
          result.put("accuracy", r.get("accuracy"));
          result.put("world_size", r.get("world_size"));
          result.put("backend", r.get("backend"));
        }
        if (r.isEmpty()) {
          reason = reason != null ? reason : "worker " + w.index() + " printed no RESULT line";
          logTail = tail(w.log(), 15);
        }
      }
      result.put("ranks", ranks);
      result.put("nodes", workers.stream().map(Workloads.Worker::node).distinct().toList());
      if (reason == null && workers.size() != WORKERS) {
        reason = workers.size() + " worker(s) ran, not " + WORKERS;
      } else if (reason == null && !Integer.valueOf(WORKERS).equals(result.get("world_size"))) {
        reason = "world size " + result.get("world_size") + ", not " + WORKERS;
      } else if (reason == null && !(result.get("accuracy") instanceof Number n && n.doubleValue() >= o.minAccuracy())) {
        reason = "accuracy " + result.get("accuracy") + " is below " + o.minAccuracy();
      }
      if (reason != null && logTail == null && !workers.isEmpty()) {
        logTail = tail(workers.get(0).log(), 15);
      }
      double seconds = watch.endedAt(j) - watch.admittedAt(j);
      String node = workers.isEmpty() ? null : workers.get(0).node();
      steps.add(new E2eReport.Step(j, reason == null, seconds, result, node, reason, logTail));
      if (failure == null && reason != null) {
        failure = j + " failed: " + reason;
      }
    }
    return failure != null ? failure : watch.verdict();
  }

  private static double round(double s) {
    return Math.round(s * 10) / 10.0;
  }

  /** What the steps' results must show beyond their exit codes. */
  private static String checkFigures(Pipeline p, List<E2eReport.Step> steps, E2eOptions o) {
    Map<String, Object> train = steps.get(1).result();
    if (p.gpu() && !"cuda".equals(train.get("device"))) {
      return "training ran on " + train.get("device") + ", not on the GPU";
    }
    Object acc = steps.get(3).result().get("accuracy");
    if (!(acc instanceof Number n) || n.doubleValue() < o.minAccuracy()) {
      return "the served model's accuracy " + acc + " is below " + o.minAccuracy();
    }
    return null;
  }

  /** The fields of the last line starting with {@code RESULT } (JSON), or empty. */
  static Map<String, Object> resultLine(String log) {
    String last = null;
    for (String line : log.split("\n")) {
      if (line.startsWith("RESULT ")) {
        last = line.substring("RESULT ".length());
      }
    }
    if (last == null) {
      return Map.of();
    }
    try {
      return new LinkedHashMap<>(Mappers.JSON.readValue(last, new TypeReference<Map<String, Object>>() {}));
    } catch (Exception e) {
      return Map.of();
    }
  }

  static String tail(String log, int lines) {
    List<String> all = log.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** The pipelines named, in order, or all; an unknown name is bad input. */
  public static List<Pipeline> select(List<String> names) {
    if (names == null || names.isEmpty()) {
      return Pipeline.ALL;
    }
    List<Pipeline> out = new ArrayList<>();
    for (String n : names) {
      out.add(Pipeline.named(n).orElseThrow(() -> CnaiException.badInput("--pipeline '" + n + "' is not a sample",
          "use one of: " + String.join(", ", Pipeline.names()) + " (cnai e2e list)")));
    }
    return out;
  }

  /** Checks options before the cluster is touched. */
  public static void check(E2eOptions o) {
    if (o.epochs() < 1 || o.epochs() > 1000) {
      throw CnaiException.badInput("--epochs " + o.epochs() + " is out of range", "give 1 to 1000");
    }
    if (o.minAccuracy() < 0 || o.minAccuracy() > 1) {
      throw CnaiException.badInput("--min-accuracy " + o.minAccuracy() + " is not a fraction", "give a number from 0 to 1, e.g. 0.9");
    }
    if (o.stepTimeout().compareTo(Duration.ofSeconds(30)) < 0) {
      throw CnaiException.badInput("--step-timeout " + o.stepTimeout().toSeconds() + "s is too short", "give at least 30s (the first step pulls the image)");
    }
  }
}
