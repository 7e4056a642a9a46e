package io.cnai.distro;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every release lockfile loads, obeys the published JSON Schema, and pins the whole stack. */
class ReleaseTest {
  static final Path RELEASES = Path.of("releases");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<Path> releases() throws IOException {
    try (Stream<Path> s = Files.list(RELEASES)) {
      return s.map(d -> d.resolve("distribution.yaml")).filter(Files::isRegularFile).sorted().toList().stream();
    }
  }

  static JsonSchema schema() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("schema/distribution.schema.json"))) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  @ParameterizedTest
  @MethodSource("releases")
  void releaseLoadsAndMatchesSchema(Path file) throws IOException {
    Distribution d = DistributionLoader.load(file);
    assertThat(d.version()).isEqualTo(file.getParent().getFileName().toString());
    JsonNode json = YAML.readTree(file.toFile());
    Set<ValidationMessage> errors = schema().validate(json);
    assertThat(errors).isEmpty();
  }

  @Test
  void schemaRefusesWhatTheLoaderRefuses() throws IOException {
    JsonSchema schema = schema();
    for (String bad : List.of("unknown-top-field", "bad-digest-short", "wrong-kind", "bad-chart-version", "unknown-capability", "two-source-kinds", "signature-none-without-reason", "kubernetes-tested-unknown-field", "kubernetes-tested-without-cluster")) {
      JsonNode json = YAML.readTree(Path.of("src/test/resources/bad-lockfiles/" + bad + ".yaml").toFile());
      assertThat(schema.validate(json)).as(bad).isNotEmpty();
    }
  }

  @Test
  void release202611PinsTheWholeStack() {
    Distribution d = DistributionLoader.load(RELEASES.resolve("2026.11/distribution.yaml"));
    assertThat(d.componentNames())
        .contains("cert-manager", "kueue", "volcano", "kuberay-operator", "kserve-crd", "kserve", "kubeflow-trainer",
            "kubeflow-pipelines-crds", "kubeflow-pipelines", "katib", "kubeflow-notebooks", "kubeflow-poddefaults", "kubeflow-profiles",
            "kubeflow-dashboard", "mlflow", "feast-operator",
            "jupyterhub", "gpu-operator", "nvidia-dra-driver", "kube-prometheus-stack");
    // versions from the reference facts
    assertThat(d.component("cert-manager").orElseThrow().source().version()).isEqualTo("v1.21.1");
    assertThat(d.component("kserve").orElseThrow().values()).containsKey("kserve");
    // only digests from a trustworthy published source are recorded
    assertThat(d.component("volcano").orElseThrow().source().digest())
        .isEqualTo("sha256:2dd37565917a9b9929385ab4d1f6561cb04d104a993285dab266df1d6644bb3b");
    // kustomize-only components have a kustomize source, never an invented download URL
    for (String k : List.of("kubeflow-pipelines-crds", "kubeflow-pipelines", "katib", "kubeflow-notebooks", "kubeflow-poddefaults",
        "kubeflow-profiles", "kubeflow-dashboard")) {
      assertThat(d.component(k).orElseThrow().source()).isInstanceOf(Source.Kustomize.class);
    }
    // every unsigned artifact says why
    for (Component c : d.components()) {
      for (Component.Policy p : List.of(c.signature().chart(), c.signature().images())) {
        if (p.type().equals("none")) {
          assertThat(p.reason()).as(c.name()).isNotBlank();
        }
      }
    }
  }
}
