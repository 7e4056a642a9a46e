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
 */
public record Pipeline(String name, String description, String needs, boolean gpu, String step) {

  /** Whether it needs the starter release's MLflow and model server. */
  public boolean needsStarter() {
    return step == null;
  }

  public static final List<Pipeline> ALL = List.of(
      new Pipeline("digits", "data -> PyTorch training -> MLflow run and registry -> KServe V2 predictions by DNS name; accuracy >= 0.9",
          "real nodes; the starter release; image cnai.local/sample-pipelines:0.1.0", false, null),
      new Pipeline("digits-gpu", "digits trained on one GPU (nvidia.com/gpu: 1, CUDA asserted in the pod)",
          "as digits, and a real node offering nvidia.com/gpu", true, null),
      new Pipeline("feast-features", "Feast feature repository (local provider): apply, materialize, train on a point-in-time join, "
          + "score online features; accuracy >= 0.9", "real nodes; image cnai.local/sample-pipelines:0.1.0", false, "features"),
      new Pipeline("ray-tune", "Ray Tune grid (4 trials) on a Ray started in the pod; best accuracy >= 0.9",
          "real nodes; image cnai.local/sample-pipelines:0.1.0; 3 GiB for the pod", false, "tune"));

  public static Optional<Pipeline> named(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Pipeline::name).toList();
  }
}
