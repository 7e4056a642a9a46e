package io.cnai.installer.classroom;

import java.util.List;

/**
 * The exercises of the lessons in {@code education/}, each with the check a facilitator (and
 * {@code cnai classroom status}) runs: an object the exercise asks the student to make in their
 * namespace. The lesson file says the same in words under "Facilitator check".
 */
public final class Exercises {
  private Exercises() {}

  /** An object whose presence in the student's namespace says the exercise was done. */
  public record Check(String apiVersion, String kind, String name) {
    public String describe() {
      return kind + " '" + name + "'";
    }
  }

  public record Exercise(String id, String audience, String title, String lesson, Check check) {}

  public static final String KIDS = "kids-day";
  public static final String WORKSHOP = "workshop";

  public static final List<Exercise> ALL = List.of(
      new Exercise("pod-comes-back", KIDS, "The pod that comes back", "kids-day/01-pod-comes-back.md",
          new Check("apps/v1", "Deployment", "phippy")),
      new Exercise("digits", KIDS, "Teach the computer to read digits", "kids-day/02-digits.md",
          new Check("v1", "ConfigMap", "digits-score")),
      new Exercise("queue", KIDS, "Wait your turn", "kids-day/03-queue.md",
          new Check("batch/v1", "Job", "my-turn")),
      new Exercise("share-gpu", KIDS, "Share a GPU", "kids-day/04-share-gpu.md",
          new Check("batch/v1", "Job", "gpu-share")),
      new Exercise("deploy-model", WORKSHOP, "Deploy a model", "workshop/01-deploy-model.md",
          new Check("serving.kserve.io/v1beta1", "InferenceService", "digits")),
      new Exercise("digits-pipeline", WORKSHOP, "Run the digits pipeline", "workshop/02-digits-pipeline.md",
          new Check("v1", "ConfigMap", "digits-pipeline-run")),
      new Exercise("mlflow-metrics", WORKSHOP, "Read the metrics in MLflow", "workshop/03-mlflow-metrics.md",
          new Check("v1", "ConfigMap", "digits-metrics")));
}
