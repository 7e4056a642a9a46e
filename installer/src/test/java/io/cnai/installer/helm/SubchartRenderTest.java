package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.installer.charts.ChartCache;
import io.cnai.installer.charts.ChartCoordinates;
import io.cnai.installer.charts.ChartRepositories;
import io.cnai.installer.charts.FetchedChart;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.charts.LocalOciRegistry;
import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.charts.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart whose subcharts come from an HTTP chart repository and an OCI registry: the pinned,
 * digest-verified archives are fetched through the chart cache and placed before rendering.
 */
class SubchartRenderTest {
  static LocalChartRepository repo;
  static LocalOciRegistry registry;
  static Path work;
  static String ociRepository;

  @TempDir Path cacheRoot;
  final ChartRenderer renderer = new HelmJavaRenderer();

  @BeforeAll
  static void publish() throws IOException {
    work = Files.createTempDirectory("cnai-subcharts-");
    repo = LocalChartRepository.start();
    repo.publishFixture("parent");
    repo.publishFixture("httpsub");
    repo.publishFixture("ocisub"); // also here, so the HTTP-only test runs without the registry
    if (LocalOciRegistry.available()) {
      registry = LocalOciRegistry.start();
      ociRepository = registry.push(TestCharts.packageChart("ocisub", work.resolve("oci")), "charts");
    }
  }

  @AfterAll
  static void stop() {
    repo.close();
    if (registry != null) {
      registry.close();
    }
    TestFiles.deleteTree(work);
  }

  ChartCache cache() {
    return new ChartCache(cacheRoot, ChartRepositories.standard());
  }

  RenderRequest parentWith(FetchedChart... subcharts) {
    FetchedChart parent = cache().fetch(repo.coordinates("parent", "2.3.0"), null);
    return RenderRequest.of(parent.archive(), "rel", "team-a", "1.35.0")
        .withSubcharts(java.util.Arrays.stream(subcharts).map(FetchedChart::archive).toList());
  }

  static List<String> ids(List<Manifest> ms) {
    return ms.stream().map(Manifest::id).toList();
  }

  @Test
  void subchartsThatWereNotGivenAreBadInputNamingThem() {
    assertThatThrownBy(() -> renderer.render(parentWith()))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.problem()).contains("chart parent 2.3.0 needs subchart(s) httpsub, ocisub");
          assertThat(e.hint()).contains("pin the subcharts");
        });
  }

  @Test
  void pinnedSubchartsFromHttpRepositoryAreUsed() {
    FetchedChart httpsub = cache().fetch(repo.coordinates("httpsub", "1.2.3"), null);
    FetchedChart ocisub = cache().fetch(repo.coordinates("ocisub", "0.5.0"), null);

    RenderedChart r = renderer.render(parentWith(httpsub, ocisub));

    assertThat(ids(r.resources()))
        .containsExactlyInAnyOrder(
            "ConfigMap/rel-parent", "ConfigMap/rel-bundled", "ConfigMap/rel-httpsub", "Deployment/rel-jobs-controller");
    assertThat(ids(r.crds()))
        .containsExactly("CustomResourceDefinition/widgets.httpsub.cnai.test", "CustomResourceDefinition/jobsets.jobs.cnai.test");
    Manifest httpCm = r.resources().stream().filter(m -> m.name().equals("rel-httpsub")).findFirst().orElseThrow();
    assertThat(httpCm.yaml())
        .contains("greeting: from-parent") // parent values reach the subchart
        .contains("registry: registry.example.test") // globals too
        .contains("lookedUp: \"0\""); // lookup in a subchart is client-side as well
    Manifest parentCm = r.resources().stream().filter(m -> m.name().equals("rel-parent")).findFirst().orElseThrow();
    assertThat(parentCm.yaml()).contains("app.kubernetes.io/part-of: parent"); // helper of the bundled library chart
    Manifest bundled = r.resources().stream().filter(m -> m.name().equals("rel-bundled")).findFirst().orElseThrow();
    assertThat(bundled.yaml()).contains("found: \"0\"");
  }

  @Test
  void subchartsBundledAsArchivesAreUnpackedAndRewrittenToo() throws IOException {
    // as 'helm package' after 'helm dependency build' publishes them: charts/<name>-<version>.tgz
    Path dir = TestCharts.copy("parent", work.resolve("tgz-bundled"));
    Path charts = dir.resolve("charts");
    for (String sub : List.of("bundled", "commonlib")) {
      TestCharts.tar(charts.resolve(sub), charts);
      TestFiles.deleteTree(charts.resolve(sub));
    }
    Path archive = TestCharts.tar(dir, Files.createDirectories(work.resolve("tgz-bundled-out")));
    FetchedChart httpsub = cache().fetch(repo.coordinates("httpsub", "1.2.3"), null);
    FetchedChart ocisub = cache().fetch(repo.coordinates("ocisub", "0.5.0"), null);

    RenderedChart r = renderer.render(RenderRequest.of(archive, "rel", "team-a", "1.35.0")
        .withSubcharts(List.of(httpsub.archive(), ocisub.archive())));

    Manifest bundled = r.resources().stream().filter(m -> m.name().equals("rel-bundled")).findFirst().orElseThrow();
    assertThat(bundled.yaml()).contains("found: \"0\""); // lookup rewritten inside the bundled archive
    assertThat(ids(r.resources())).contains("ConfigMap/rel-parent", "ConfigMap/rel-httpsub", "Deployment/rel-jobs-controller");
  }

  @Test
  void disabledSubchartContributesNeitherObjectsNorCrds() {
    FetchedChart httpsub = cache().fetch(repo.coordinates("httpsub", "1.2.3"), null);
    FetchedChart ocisub = cache().fetch(repo.coordinates("ocisub", "0.5.0"), null);

    RenderedChart r = renderer.render(parentWith(httpsub, ocisub).withValues(Map.of("jobs", Map.of("enabled", false))));

    assertThat(ids(r.resources())).doesNotContain("Deployment/rel-jobs-controller");
    assertThat(ids(r.crds())).containsExactly("CustomResourceDefinition/widgets.httpsub.cnai.test");

    // the first condition that is set decides (jobs.install before jobs.enabled), as in Helm
    RenderedChart r2 = renderer.render(parentWith(httpsub, ocisub)
        .withValues(Map.of("jobs", Map.of("enabled", false, "install", true))));
    assertThat(ids(r2.crds())).contains("CustomResourceDefinition/jobsets.jobs.cnai.test");
    assertThat(ids(r2.resources())).contains("Deployment/rel-jobs-controller");
  }

  @Test
  void pinnedSubchartFromOciRegistryIsUsed() {
    assumeTrue(registry != null, LocalOciRegistry.MISSING);
    FetchedChart httpsub = cache().fetch(repo.coordinates("httpsub", "1.2.3"), null);
    FetchedChart ocisub = cache().fetch(new ChartCoordinates(ociRepository, "ocisub", "0.5.0"), null);
    assertThat(ocisub.archive().toString()).contains("sha256");

    RenderedChart r = renderer.render(parentWith(httpsub, ocisub));

    assertThat(ids(r.resources())).contains("Deployment/rel-jobs-controller", "ConfigMap/rel-httpsub");
    assertThat(ids(r.crds())).contains("CustomResourceDefinition/jobsets.jobs.cnai.test");
  }

  @Test
  void pinnedSubchartReplacesABundledOneOfTheSameName() throws IOException {
    Path dir = TestCharts.copy("bundled-override", work);
    FetchedChart httpsub = cache().fetch(repo.coordinates("httpsub", "1.2.3"), null);
    FetchedChart ocisub = cache().fetch(repo.coordinates("ocisub", "0.5.0"), null);
    Path newer = TestCharts.packageDir(dir, work.resolve("override-out"));

    RenderedChart r = renderer.render(parentWith(httpsub, ocisub, cache().fetch(
        repo.coordinates("bundled", "0.1.0"), repo.publish(newer).digest())));

    Manifest bundled = r.resources().stream().filter(m -> m.name().equals("rel-bundled")).findFirst().orElseThrow();
    assertThat(bundled.yaml()).contains("pinned: \"yes\"");
  }
}
