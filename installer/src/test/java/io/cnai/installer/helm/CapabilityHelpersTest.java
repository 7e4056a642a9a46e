package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
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

/**
 * The fixture 'tracking' is shaped like an experiment-tracking chart whose database subcharts are
 * off by default and carry Bitnami-style capability helpers ({@code .context.Capabilities.APIVersions.Has
 * .version}; a pipeline form cnai cannot answer in 'cache'). Rendering with the target's API
 * versions (install) and without (render) must agree on what is judged: disabled subcharts never.
 */
class CapabilityHelpersTest {
  static Path packaged;
  static Path archive;
  final ChartRenderer renderer = new HelmJavaRenderer();
  static final List<String> TARGET_APIS = List.of("monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor");

  @BeforeAll
  static void pack() throws IOException {
    packaged = Files.createTempDirectory("cnai-capabilities-test-");
    archive = TestCharts.packageChart("tracking", packaged);
  }

  @AfterAll
  static void cleanUp() {
    TestFiles.deleteTree(packaged);
  }

  static RenderRequest request(Map<String, Object> values, List<String> apis) {
    return RenderRequest.of(archive, "mlflow", "mlflow", "1.35.0").withValues(values).withApiVersions(apis);
  }

  static List<String> ids(RenderedChart r) {
    return r.resources().stream().map(Manifest::id).toList();
  }

  @Test
  void disabledSubchartsAreNotJudgedWithOrWithoutTargetApis() {
    RenderedChart withApis = renderer.render(request(Map.of(), TARGET_APIS));
    RenderedChart without = renderer.render(request(Map.of(), List.of()));
    assertThat(ids(withApis)).containsExactly("Deployment/mlflow-server", "ServiceMonitor/mlflow-server");
    assertThat(ids(without)).containsExactly("Deployment/mlflow-server");
  }

  @Test
  void anEnabledSubchartsFieldFormHelperIsAnsweredWithTheTargetApis() {
    Map<String, Object> on = Map.of("database", Map.of("enabled", true));
    assertThat(ids(renderer.render(request(on, TARGET_APIS))))
        .contains("StatefulSet/mlflow-database", "ServiceMonitor/mlflow-database");
    assertThat(ids(renderer.render(request(on, List.of()))))
        .contains("StatefulSet/mlflow-database").doesNotContain("ServiceMonitor/mlflow-database");
  }

  @Test
  void anEnabledSubchartWithAFormCnaiCannotAnswerIsRefusedNamingTheTemplate() {
    Map<String, Object> on = Map.of("cache", Map.of("enabled", true));
    assertThatThrownBy(() -> renderer.render(request(on, TARGET_APIS)))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE);
          assertThat(e.problem()).contains("chart tracking 1.2.0 (release mlflow)").contains("charts/cache/templates/_helpers.tpl:2");
          assertThat(e.hint()).contains("--set mlflow.").contains("disable that subchart").doesNotContain("Renderer");
        });
    // without target API versions only the built-in ones answer, which Helm does itself
    assertThat(renderer.render(request(on, List.of())).resources()).isNotEmpty();
  }
}
