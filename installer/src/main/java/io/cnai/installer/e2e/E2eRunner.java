package io.cnai.installer.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cnai.core.CnaiException;
import io.cnai.installer.json.Mappers;
import io.cnai.installer.kube.ClusterFacts;
import io.cnai.installer.kube.Workloads;
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
      results.add(p.step() != null ? single(p, o, progress) : digits(p, o, progress));
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
    for (String d : p.starter()) {
      if (workloads.deploymentAvailable(STARTER_NAMESPACE, d).isEmpty()) {
        return Optional.of("Deployment " + STARTER_NAMESPACE + "/" + d + " is missing: install the starter release first "
            + "(cnai install --distribution distro/starter/distribution.yaml --profiles-dir distro/starter/profiles --profile starter)");
      }
    }
    return Optional.empty();
  }

  private E2eReport.PipelineResult digits(Pipeline p, E2eOptions o, Consumer<String> progress) {
    String work = "/work";
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
    List<String> args = new ArrayList<>(List.of(p.step(), "--workdir", "/work", "--min-accuracy", Double.toString(o.minAccuracy())));
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
   * the other in {@link #NAMESPACE}, sharing a scratch claim at /work (not mounted by {@code check}),
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
            step.equals("check") ? null : claim, "/work", gpus, "100m", memory), o.stepTimeout());
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
