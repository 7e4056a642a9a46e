package io.cnai.installer.e2e;

import java.util.List;
import java.util.Optional;

/**
 * A sample of {@code sample-pipelines/} that {@code cnai e2e run} runs on a cluster.
 *
 * @param name as given to {@code --pipeline}
 * @param description one line
 * @param needs what the cluster must offer, in words (printed by {@code cnai e2e list})
 * @param gpu whether training must run on a GPU ({@code nvidia.com/gpu}, CUDA checked in the pod)
 * @param step for a sample of one step, its {@code digits_cluster} subcommand; null for digits (several
 *     steps against the starter release)
 * @param starter the starter release's Deployments (namespace cnai-starter) it runs against
 * @param queued whether it is a gang of workers admitted by Kueue (queued-training): it needs Kueue served
 * @param rayJob whether it runs as a KubeRay RayJob where KubeRay is served (ray-tune); else on the
 *     starter release's Ray head
 */
public record Pipeline(String name, String description, String needs, boolean gpu, String step, List<String> starter,
    boolean queued, boolean rayJob) {

  /** The Ray head's Ray Client address, as a pod in another namespace reaches it. */
  public static final String RAY_CLIENT = "ray://ray-head.cnai-starter.svc.cluster.local:10001";

  public Pipeline {
    starter = List.copyOf(starter);
  }

  public Pipeline(String name, String description, String needs, boolean gpu, String step, List<String> starter) {
    this(name, description, needs, gpu, step, starter, false, false);
  }

  /** The Kueue API versions cnai knows, preferred first. */
  public static final List<String> KUEUE_VERSIONS = List.of("kueue.x-k8s.io/v1beta2", "kueue.x-k8s.io/v1beta1");

  /** Whether it needs Deployments of the starter release. */
  public boolean needsStarter() {
    return !starter.isEmpty();
  }

  public static final List<Pipeline> ALL = List.of(
      new Pipeline("digits", "data -> PyTorch training -> MLflow run and registry -> KServe V2 predictions by DNS name; accuracy >= 0.9",
          "real nodes; the starter release; image cnai.local/sample-pipelines:0.1.0", false, null, List.of("mlflow", "model-server")),
      new Pipeline("digits-gpu", "digits trained on one GPU (nvidia.com/gpu: 1, CUDA asserted in the pod)",
          "as digits, and a real node offering nvidia.com/gpu", true, null, List.of("mlflow", "model-server")),
      new Pipeline("feast-features", "Feast feature repository (local provider): apply, materialize, train on a point-in-time join, "
          + "score online features; accuracy >= 0.9", "real nodes; image cnai.local/sample-pipelines:0.1.0", false, "features", List.of()),
      new Pipeline("ray-tune", "Ray Tune grid (4 trials) as a KubeRay RayJob on a RayCluster of a head and a worker where KubeRay "
          + "is served, else on the starter release's Ray head through Ray Client; best accuracy >= 0.9",
          "real nodes; KubeRay served (installer/tools/install-addon.sh kuberay on a cnai cluster) or the starter release's ray-head; "
          + "image cnai.local/sample-pipelines:0.1.0", false, "tune", List.of("ray-head"), false, true),
      new Pipeline("queued-training", "two jobs of 2 torchrun workers (DDP, gloo) each, as Indexed Jobs queued in Kueue with quota "
          + "for one: admitted whole, one after the other; accuracy >= 0.9",
          "real nodes; Kueue served (installer/tools/install-addon.sh kueue on a cnai cluster); Kubeflow Trainer used where served; image cnai.local/sample-pipelines:0.1.0",
          false, "ddp", List.of(), true, false));

  public static Optional<Pipeline> named(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Pipeline::name).toList();
  }
}
