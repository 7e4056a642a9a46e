package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.charts.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cross-check of {@link HelmJavaRenderer} (helm-java plus cnai's rewrites) against the Helm CLI of
 * the same version ({@code helm template --include-crds --kube-version … --api-versions …}), built
 * by {@code installer/tools/build-helm.sh}: the same objects, classified alike, with the same YAML.
 */
class HelmCliCrossCheckTest {
  static final String HELM_VERSION = "v3.21.0";
  static final String MISSING = "not run: helm binary missing; run installer/tools/build-helm.sh";
  static Path work;

  @BeforeAll
  static void setUp() throws IOException {
    work = Files.createTempDirectory("cnai-crosscheck-");
  }

  @AfterAll
  static void tearDown() {
    TestFiles.deleteTree(work);
  }

  static Path helm() {
    String tools = System.getenv("CNAI_TOOLS");
    Path base = tools != null && !tools.isBlank() ? Path.of(tools) : Path.of(System.getProperty("user.home"), ".cache", "cnai", "tools");
    return base.resolve("helm").resolve(HELM_VERSION).resolve("helm");
  }

  @BeforeEach
  void needsHelm() {
    assumeTrue(Files.isExecutable(helm()), MISSING);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "certs|",
        "queues|",
        "kubeversion|",
        "lookup|",
        "hooks|",
        "capabilities|",
        "capabilities|cert-manager.io/v1,monitoring.coreos.com/v1/ServiceMonitor,gateway.networking.k8s.io/v1",
        "schema|",
        "symlinked|",
      })
  void sameObjectsAsTheHelmCli(String chart, String apis) throws Exception {
    List<String> apiVersions = apis == null ? List.of() : List.of(apis.split(","));
    Path archive = TestCharts.packageChart(chart, work.resolve(chart));

    RenderedChart ours = new HelmJavaRenderer().render(
        RenderRequest.of(archive, "rel", "team-a", "1.35.0").withApiVersions(apiVersions));
    RenderedChart cli = helmTemplate(archive, apiVersions);

    assertThat(byId(ours.crds())).as("crds").isEqualTo(byId(cli.crds()));
    assertThat(byId(ours.resources())).as("resources").isEqualTo(byId(cli.resources()));
    assertThat(byId(ours.hooks())).as("hooks").isEqualTo(byId(cli.hooks()));
    assertThat(ours.resources().size() + ours.crds().size() + ours.hooks().size()).isPositive();
  }

  private RenderedChart helmTemplate(Path archive, List<String> apiVersions) throws Exception {
    Path home = Files.createTempDirectory(work, "helm-home-");
    List<String> cmd = new ArrayList<>(List.of(helm().toString(), "template", "rel", archive.toString(),
        "--namespace", "team-a", "--kube-version", "1.35.0", "--include-crds"));
    for (String v : apiVersions) {
      cmd.add("--api-versions");
      cmd.add(v);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    pb.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
    Path out = home.resolve("out.yaml");
    Path err = home.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("helm template finished").isTrue();
    assertThat(p.exitValue()).as("helm template: " + Files.readString(err)).isZero();
    List<Manifest> crds = new ArrayList<>();
    List<Manifest> resources = new ArrayList<>();
    List<Manifest> hooks = new ArrayList<>();
    for (String doc : Manifests.documents(Files.readString(out, StandardCharsets.UTF_8), "helm")) {
      Manifest m = Manifests.parse(doc, "cli");
      if (m == null) {
        continue;
      }
      boolean hook = ChartWorkspace.YAML.readTree(doc).path("metadata").path("annotations").has("helm.sh/hook");
      (hook ? hooks : m.isCrd() ? crds : resources).add(m);
    }
    return new RenderedChart(crds, resources, hooks);
  }

  /** id → YAML without Helm's "# Source:" comment lines. */
  private static Map<String, String> byId(List<Manifest> ms) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Manifest m : ms) {
      StringBuilder sb = new StringBuilder();
      for (String line : m.yaml().split("\n")) {
        if (!line.startsWith("# Source:")) {
          sb.append(line).append('\n');
        }
      }
      out.put(m.id(), sb.toString().strip());
    }
    return out;
  }
}
