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
 */
public record Pipeline(String name, String description, String needs, boolean gpu) {

  public static final List<Pipeline> ALL = List.of(
      new Pipeline("digits", "data -> PyTorch training -> MLflow run and registry -> KServe V2 predictions by DNS name; accuracy >= 0.9",
          "real nodes; the starter release; image cnai.local/sample-pipelines:0.1.0", false),
      new Pipeline("digits-gpu", "digits trained on one GPU (nvidia.com/gpu: 1, CUDA asserted in the pod)",
          "as digits, and a real node offering nvidia.com/gpu", true));

  public static Optional<Pipeline> named(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Pipeline::name).toList();
  }
}
