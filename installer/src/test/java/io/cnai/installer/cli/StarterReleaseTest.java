package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.cnai.distro.Component;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.distro.Source;
import io.cnai.installer.TestPaths;
import io.cnai.installer.e2e.E2eOptions;
import io.cnai.installer.json.Mappers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The offline starter release (distro/starter): signed by a release key of the project's policy,
 * every manifest pinned by its digest, planned with its own profile, and made of objects that run
 * the sample-pipelines image and keep MLflow's data on a claim.
 */
class StarterReleaseTest {
  private static final Path DIR = TestPaths.root().resolve("distro/starter");
  private static final String[] STACK = {"--distribution", DIR.resolve("distribution.yaml").toString(),
      "--profiles-dir", DIR.resolve("profiles").toString(), "--profile", "starter"};

  @Test
  void theStarterReleaseVerifiesAgainstTheProjectPolicy() {
    Cli.Result r = Cli.run("distro", "verify", DIR.resolve("distribution.yaml").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("verified").contains("cnai-starter 2026.11-starter");
  }

  @Test
  void everyManifestIsTheFileBesideTheLockfileAtItsLockedDigest() throws Exception {
    Distribution d = DistributionLoader.load(DIR.resolve("distribution.yaml"));
    assertThat(d.components()).extracting(Component::name).containsExactly("mlflow", "model-server", "ray-head", "jupyterlab");
    // what .ci/run installs it on: the local provider's control plane
    assertThat(d.testedKubernetes()).extracting(t -> "v" + t.version() + " " + t.cluster())
        .as("bump spec.kubernetes.tested with the control plane's version").containsExactly(
            io.cnai.installer.cluster.sim.SimVersions.KUBERNETES + " local");
    for (Component c : d.components()) {
      Source.Manifest m = (Source.Manifest) c.source();
      Path file = Path.of(URI.create(m.url()));
      assertThat(file).startsWith(DIR.resolve("manifests").toAbsolutePath().normalize()).exists();
      String sha = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
      assertThat(m.digest()).as("%s: run 'cnai distro lock --update' and 'cnai distro sign' after editing %s", c.name(), file)
          .isEqualTo(sha);
    }
  }

  @Test
  void itPlansInTwoWavesWithItsProfile() {
    Cli.Result r = Cli.run(Cli.args("plan", STACK, "--output", "json"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"mlflow\"").contains("\"model-server\"").contains("\"ray-head\"");
    Cli.Result text = Cli.run(Cli.args("plan", STACK));
    assertThat(text.out()).containsPattern("1\\s+mlflow\\s+cnai-starter").containsPattern("2\\s+model-server\\s+cnai-starter\\s+manifest.*mlflow")
        .containsPattern("1\\s+ray-head\\s+cnai-starter").containsPattern("1\\s+jupyterlab\\s+cnai-starter");
  }

  @Test
  void itsObjectsRunCnaisImagesAndKeepDataOnClaims() throws Exception {
    List<JsonNode> objects = new ArrayList<>();
    for (Path f : List.of(DIR.resolve("manifests/mlflow.yaml"), DIR.resolve("manifests/model-server.yaml"),
        DIR.resolve("manifests/ray-head.yaml"), DIR.resolve("manifests/jupyterlab.yaml"))) {
      try (MappingIterator<JsonNode> it = Mappers.PEOPLE_YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
        objects.addAll(it.readAll());
      }
    }
    assertThat(objects).extracting(o -> o.path("kind").asText())
        .containsExactly("PersistentVolumeClaim", "Deployment", "Service", "Deployment", "Service", "Deployment", "Service",
            "PersistentVolumeClaim", "Deployment", "Service");
    for (JsonNode o : objects) {
      assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("cnai-starter");
      JsonNode pod = o.path("spec").path("template").path("spec");
      for (String list : List.of("containers", "initContainers")) {
        for (JsonNode c : pod.path(list)) {
          assertThat(c.path("image").asText()).as(o.path("metadata").path("name").asText())
              .isEqualTo(o.path("metadata").path("name").asText().equals("jupyterlab")
                  ? io.cnai.installer.classroom.Manifests.Settings.DEFAULT_IMAGE : E2eOptions.DEFAULT_IMAGE);
        }
      }
    }
    JsonNode mlflow = objects.get(1);
    assertThat(mlflow.path("spec").path("template").path("spec").path("volumes").get(0).path("persistentVolumeClaim")
        .path("claimName").asText()).isEqualTo("mlflow-data");
    JsonNode jupyter = objects.get(8);
    assertThat(jupyter.path("spec").path("template").path("spec").path("volumes").get(0).path("persistentVolumeClaim")
        .path("claimName").asText()).isEqualTo("jupyterlab-home");
    // the token comes from the Secret cnai up makes, never from the manifest
    assertThat(jupyter.toString()).contains("\"secretKeyRef\":{\"name\":\"" + io.cnai.installer.e2e.Starter.JUPYTER_SECRET + "\"")
        .doesNotContain("--ServerApp.token").doesNotContain("--IdentityProvider.token");
  }

  @Test
  void starterWithAnotherProviderOrDistributionIsBadInputAndTouchesNothing() {
    Cli.Result r = Cli.run("up", "--starter", "--provider", "existing");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--starter installs the starter release on a local cluster");
    Cli.Result d = Cli.run("up", "--starter", "--distribution", TestPaths.release().toString());
    assertThat(d.exit()).isEqualTo(2);
  }

  @Test
  void e2eRunWithBadFlagsIsBadInputBeforeAnyCluster() {
    Cli.Result r = Cli.run("e2e", "run", "--pipeline", "nope", "--kubeconfig", "/nonexistent/kubeconfig");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--pipeline 'nope' is not a sample").contains("digits, digits-gpu");
    Cli.Result e = Cli.run("e2e", "run", "--epochs", "0", "--kubeconfig", "/nonexistent/kubeconfig");
    assertThat(e.exit()).isEqualTo(2);
    assertThat(e.err()).contains("--epochs 0 is out of range");
    Cli.Result l = Cli.run("e2e", "list");
    assertThat(l.exit()).isZero();
    assertThat(l.out()).contains("digits").contains("digits-gpu").contains("nvidia.com/gpu");
  }
}
