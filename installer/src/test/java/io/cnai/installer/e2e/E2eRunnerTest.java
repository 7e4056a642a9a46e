package io.cnai.installer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.installer.kube.ClusterFacts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class E2eRunnerTest {
  private static ClusterFacts.NodeFacts node(boolean simulated, int gpus) {
    return new ClusterFacts.NodeFacts("n", true, "2", "8Gi", 2, 8L << 30, gpus, null, Map.of(), simulated);
  }

  private static E2eOptions options(int epochs, double acc, Duration timeout) {
    return new E2eOptions(Pipeline.ALL, E2eOptions.DEFAULT_IMAGE, timeout, epochs, acc, Path.of("target/e2e"), false);
  }

  @Test
  void simulatedNodesRunNothingAndSayWhy() {
    E2eRunner r = new E2eRunner(null, new ClusterFacts("v1.37.2", "linux/amd64", List.of(node(true, 8))));
    for (Pipeline p : Pipeline.ALL) {
      assertThat(r.whyNotRun(p)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("no node of this cluster runs containers").contains("--provider local");
    }
    E2eReport report = r.run(options(20, 0.9, Duration.ofMinutes(10)), line -> {});
    assertThat(report.pipelines()).extracting(E2eReport.PipelineResult::outcome).containsOnly(E2eReport.Outcome.NOT_RUN);
    assertThat(report.exitCode()).isEqualTo(1);
  }

  @Test
  void gpuSampleIsNotRunWithoutARealNodeOfferingGpus() {
    // simulated GPUs do not count: no container runs there
    E2eRunner r = new E2eRunner(null, new ClusterFacts("v1.37.2", "linux/amd64", List.of(node(false, 0), node(true, 8))));
    assertThat(r.whyNotRun(Pipeline.named("digits-gpu").orElseThrow())).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("nvidia.com/gpu");
  }

  @Test
  void whatEachSampleNeedsOfTheStarterRelease() {
    E2eRunner r = new E2eRunner(null, new ClusterFacts("v1.37.2", "linux/amd64", List.of(node(false, 0))));
    Pipeline feast = Pipeline.named("feast-features").orElseThrow();
    assertThat(feast.needsStarter()).isFalse();
    assertThat(r.whyNotRun(feast)).isEmpty();
    assertThat(Pipeline.named("ray-tune").orElseThrow().starter()).containsExactly("ray-head");
    assertThat(Pipeline.named("digits").orElseThrow().starter()).containsExactly("mlflow", "model-server");
    assertThat(Pipeline.named("digits-gpu").orElseThrow().starter()).containsExactly("mlflow", "model-server");
    Pipeline queued = Pipeline.named("queued-training").orElseThrow();
    assertThat(queued.queued()).isTrue();
    assertThat(queued.needsStarter()).isFalse();
    assertThat(queued.needs()).contains("Kueue").contains("install-addon.sh kueue");
    assertThat(Pipeline.ALL).filteredOn(Pipeline::queued).containsExactly(queued);
  }

  @Test
  void unknownPipelineAndOptionsOutOfRangeAreBadInput() {
    assertThatThrownBy(() -> E2eRunner.select(List.of("digits", "nope"))).isInstanceOf(CnaiException.class)
        .hasMessageContaining("--pipeline 'nope' is not a sample")
        .satisfies(e -> assertThat(((CnaiException) e).exitCode()).isEqualTo(2));
    assertThat(E2eRunner.select(null)).isEqualTo(Pipeline.ALL);
    assertThat(E2eRunner.select(List.of("digits-gpu"))).extracting(Pipeline::name).containsExactly("digits-gpu");
    assertThatThrownBy(() -> E2eRunner.check(options(0, 0.9, Duration.ofMinutes(1)))).hasMessageContaining("--epochs 0");
    assertThatThrownBy(() -> E2eRunner.check(options(20, 1.5, Duration.ofMinutes(1)))).hasMessageContaining("--min-accuracy 1.5");
    assertThatThrownBy(() -> E2eRunner.check(options(20, 0.9, Duration.ofSeconds(5)))).hasMessageContaining("--step-timeout 5s");
  }

  @Test
  void theLastResultLineOfALogIsRead() {
    String log = "serve: starting\nRESULT {\"step\": \"train\", \"accuracy\": 0.5}\nnoise\nRESULT {\"step\": \"train\", \"accuracy\": 0.97, \"device\": \"cpu\"}\n";
    assertThat(E2eRunner.resultLine(log)).containsEntry("accuracy", 0.97).containsEntry("device", "cpu");
    assertThat(E2eRunner.resultLine("Traceback\nRESULT {broken")).isEmpty();
    assertThat(E2eRunner.resultLine("")).isEmpty();
    assertThat(E2eRunner.tail("a\nb\nc\nd", 2)).isEqualTo("c\nd");
  }

  @Test
  @SuppressWarnings("unchecked")
  void rayTuneRunsAsARayJobOfTheImagesRayOnAHeadAndOneWorker() throws Exception {
    Pipeline tune = Pipeline.named("ray-tune").orElseThrow();
    assertThat(tune.rayJob()).isTrue();
    assertThat(Pipeline.ALL).filteredOn(Pipeline::rayJob).containsExactly(tune);
    E2eOptions o = new E2eOptions(List.of(tune), "reg.example:5000/cnai/sample-pipelines:0.1.0", Duration.ofMinutes(12), 20, 0.93,
        Path.of("target/e2e"), false);
    Map<String, Object> job = io.cnai.installer.json.Mappers.YAML.readValue(E2eRunner.rayJobYaml(tune, o), Map.class);
    assertThat(job).containsEntry("apiVersion", "ray.io/v1").containsEntry("kind", "RayJob");
    Map<String, Object> meta = (Map<String, Object>) job.get("metadata");
    assertThat(meta).containsEntry("name", "ray-tune").containsEntry("namespace", E2eRunner.NAMESPACE);
    Map<String, Object> spec = (Map<String, Object>) job.get("spec");
    assertThat(spec.get("entrypoint")).isEqualTo("python -m digits_cluster tune --workdir /tmp/cnai-tune --min-accuracy 0.93");
    assertThat(spec).containsEntry("activeDeadlineSeconds", 720).containsEntry("backoffLimit", 0);
    Map<String, Object> submitter = (Map<String, Object>) ((Map<String, Object>) spec.get("submitterPodTemplate")).get("spec");
    assertThat(submitter).containsEntry("restartPolicy", "Never"); // KubeRay refuses any other
    assertThat((List<Map<String, Object>>) submitter.get("containers")).singleElement()
        .satisfies(c -> assertThat(c).containsEntry("image", o.image()).doesNotContainKey("command")); // KubeRay writes the command

    Map<String, Object> cluster = (Map<String, Object>) spec.get("rayClusterSpec");
    // the image's Ray: the version requirements.txt pins
    String lock = java.nio.file.Files.readString(Path.of("../sample-pipelines/requirements.txt"));
    assertThat(lock).contains("\nray==" + cluster.get("rayVersion") + " ");
    Map<String, Object> head = (Map<String, Object>) cluster.get("headGroupSpec");
    List<Map<String, Object>> workers = (List<Map<String, Object>>) cluster.get("workerGroupSpecs");
    assertThat(workers).singleElement().satisfies(w -> assertThat(w).containsEntry("replicas", 1).containsEntry("minReplicas", 1)
        .containsEntry("maxReplicas", 1));
    for (Map<String, Object> group : List.of(head, workers.get(0))) {
      assertThat((Map<String, Object>) group.get("rayStartParams")).containsKey("num-cpus").containsEntry("object-store-memory", "200000000");
      Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) group.get("template")).get("spec");
      Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).get(0);
      assertThat(c).containsEntry("image", o.image()).doesNotContainKey("command");
      // the object store lives in /dev/shm: a memory-backed volume larger than it, not the container's 64 MiB
      assertThat((List<Map<String, Object>>) c.get("volumeMounts")).contains(Map.of("name", "shm", "mountPath", "/dev/shm"));
      assertThat((List<Map<String, Object>>) pod.get("volumes")).singleElement()
          .satisfies(v -> assertThat(v.get("emptyDir")).isEqualTo(Map.of("medium", "Memory", "sizeLimit", "256Mi")));
    }
    assertThat(((Map<String, Object>) head.get("rayStartParams"))).containsEntry("dashboard-host", "0.0.0.0");
    // probes of our own, over HTTP: KubeRay's defaults would exec the image's wget, which crashes
    Map<String, Object> headProbe = Map.of("path", "/api/gcs_healthz", "port", 8265);
    Map<String, Object> workerProbe = Map.of("path", "/api/local_raylet_healthz", "port", 52365);
    for (var pair : List.of(Map.entry(head, headProbe), Map.entry(workers.get(0), workerProbe))) {
      Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) pair.getKey().get("template")).get("spec");
      Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).get(0);
      for (String probe : List.of("readinessProbe", "livenessProbe")) {
        assertThat((Map<String, Object>) c.get(probe)).as(probe).containsEntry("httpGet", pair.getValue()).doesNotContainKey("exec");
      }
    }
  }
}
