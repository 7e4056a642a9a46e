package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.charts.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cross-check of {@link HelmJavaRenderer} (helm-java plus cnai's rewrites) against {@link
 * HelmCliRenderer} (the Helm CLI of the same version with {@code --include-crds --kube-version
 * --api-versions}, no rewrites), built by {@code installer/tools/build-helm.sh}: the same objects,
 * classified alike, with the same YAML.
 */
class HelmCliCrossCheckTest {
  static final String MISSING = "not run: helm binary missing; run installer/tools/build-helm.sh";
  static Path work;

  final ChartRenderer ours = new HelmJavaRenderer();
  final ChartRenderer cli = new HelmCliRenderer(helm(), Duration.ofSeconds(60));

  @BeforeAll
  static void setUp() throws IOException {
    work = Files.createTempDirectory("cnai-crosscheck-");
  }

  @AfterAll
  static void tearDown() {
    TestFiles.deleteTree(work);
  }

  static Path helm() {
    return HelmCliRenderer.defaultBinary(System.getenv());
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
        "legacy|",
      })
  void sameObjectsAsTheHelmCli(String chart, String apis) {
    List<String> apiVersions = apis == null ? List.of() : List.of(apis.split(","));
    Path archive = TestCharts.packageChart(chart, work.resolve(chart));
    RenderRequest request = RenderRequest.of(archive, "rel", "team-a", "1.35.0").withApiVersions(apiVersions);

    assertSame(ours.render(request), cli.render(request));
  }

  @Test
  void sameObjectsWithPinnedSubchartsEnabledOrNot() {
    Path parent = TestCharts.packageChart("parent", work.resolve("parent"));
    List<Path> subs = List.of(
        TestCharts.packageChart("httpsub", work.resolve("subs")), TestCharts.packageChart("ocisub", work.resolve("subs")));
    RenderRequest request = RenderRequest.of(parent, "rel", "team-a", "1.35.0").withSubcharts(subs);

    for (Map<String, Object> values : List.<Map<String, Object>>of(
        Map.of(),
        Map.of("jobs", Map.of("enabled", false)),
        Map.of("jobs", Map.of("enabled", false, "install", true), "httpsub", Map.of("enabled", false)))) {
      RenderedChart a = ours.render(request.withValues(values));
      RenderedChart b = cli.render(request.withValues(values));
      assertSame(a, b);
    }
  }

  @Test
  void sameObjectsForBitnamiStyleCapabilityHelpersInSubcharts() {
    Path tracking = TestCharts.packageChart("tracking", work.resolve("tracking"));
    for (List<String> apis : List.of(List.<String>of(), List.of("monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor"))) {
      for (Map<String, Object> values : List.<Map<String, Object>>of(Map.of(), Map.of("database", Map.of("enabled", true)))) {
        RenderRequest request = RenderRequest.of(tracking, "rel", "team-a", "1.35.0").withApiVersions(apis).withValues(values);
        assertSame(ours.render(request), cli.render(request));
      }
    }
  }

  @Test
  void sameErrorsForKubeVersionAndSchema() {
    RenderRequest old = RenderRequest.of(TestCharts.packageChart("kubeversion", work.resolve("kv")), "rel", "team-a", "1.30.0");
    RenderRequest badValues = RenderRequest.of(TestCharts.packageChart("schema", work.resolve("schema-bad")), "rel", "team-a", "1.35.0")
        .withValues(Map.of("replicas", 0));
    for (RenderRequest r : List.of(old, badValues)) {
      CnaiException a = catchCnai(ours, r);
      CnaiException b = catchCnai(cli, r);
      assertThat(a.kind()).isEqualTo(ErrorKind.BAD_INPUT).isEqualTo(b.kind());
      assertThat(a.problem()).isEqualTo(b.problem());
    }
  }

  private static CnaiException catchCnai(ChartRenderer renderer, RenderRequest r) {
    try {
      renderer.render(r);
    } catch (CnaiException e) {
      return e;
    }
    throw new AssertionError("no error from " + renderer.getClass().getSimpleName());
  }

  private static void assertSame(RenderedChart ours, RenderedChart cli) {
    assertThat(byId(ours.crds())).as("crds").isEqualTo(byId(cli.crds()));
    assertThat(byId(ours.resources())).as("resources").isEqualTo(byId(cli.resources()));
    assertThat(byId(ours.hooks())).as("hooks").isEqualTo(byId(cli.hooks()));
    assertThat(ours.resources().size() + ours.crds().size() + ours.hooks().size()).isPositive();
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
