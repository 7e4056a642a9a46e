package io.cnai.installer.helm;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Renders with the Helm CLI ({@code helm template --include-crds --kube-version … --api-versions …}),
 * client-side, on the same unpacked chart with the same pinned subcharts as {@link
 * HelmJavaRenderer}, but without any template rewrite: Helm's own flags do what the rewrites do.
 * It is the reference the in-process renderer is checked against, the comparator for benchmarks,
 * and the place where a render against a live cluster ({@code --dry-run=server}) would go (see
 * docs/adr/0101-rendering-with-helm-java.md). The binary comes from {@code
 * installer/tools/build-helm.sh}.
 */
public final class HelmCliRenderer implements ChartRenderer {
  /** The Helm version helm-java 0.0.21 embeds; build-helm.sh builds the same. */
  public static final String HELM_VERSION = "v3.21.0";

  private final Path helm;
  private final Duration timeout;

  public HelmCliRenderer(Path helm, Duration timeout) {
    this.helm = helm;
    this.timeout = timeout;
  }

  /** {@code ${CNAI_TOOLS:-~/.cache/cnai/tools}/helm/<version>/helm}. */
  public static Path defaultBinary(Map<String, String> env) {
    String tools = env.get("CNAI_TOOLS");
    Path base = tools != null && !tools.isBlank()
        ? Path.of(tools)
        : Path.of(System.getProperty("user.home"), ".cache", "cnai", "tools");
    return base.resolve("helm").resolve(HELM_VERSION).resolve("helm");
  }

  @Override
  public RenderedChart render(RenderRequest request) {
    HelmJavaRenderer.validate(request);
    if (!Files.isExecutable(helm)) {
      throw CnaiException.failure(
          "the Helm CLI is not at " + helm, "build it with installer/tools/build-helm.sh (needs Go)");
    }
    try (ChartWorkspace ws = ChartWorkspace.open(request, false)) {
      String chart = ws.chartName() + " " + ws.chartVersion();
      Path values = ws.newFile("cnai-values.yaml");
      HelmJavaRenderer.writeValues(values, request.values());
      Path home = ws.newFile("helm-home");
      List<String> cmd = new ArrayList<>(List.of(
          helm.toString(), "template", request.releaseName(), ws.chartDir().toString(),
          "--namespace", request.namespace(),
          "--kube-version", request.kubeVersion(),
          "--include-crds",
          "--values", values.toString()));
      for (String v : request.apiVersions()) {
        cmd.add("--api-versions");
        cmd.add(v);
      }
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
      pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
      pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
      pb.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
      Path out = ws.newFile("helm-out.yaml");
      Path err = ws.newFile("helm-err.txt");
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw CnaiException.failure(
            "helm template of chart " + chart + " did not finish within " + timeout.toSeconds() + " s", null);
      }
      if (p.exitValue() != 0) {
        String message = Files.readString(err, StandardCharsets.UTF_8).replaceFirst("^Error: ", "").strip();
        throw HelmJavaRenderer.translate(new IllegalStateException(message), chart, request);
      }
      // helm prints crds/ first (with --include-crds); split() classifies them by kind.
      return HelmJavaRenderer.split(Files.readString(out, StandardCharsets.UTF_8), List.of(), chart);
    } catch (IOException e) {
      throw CnaiException.failure("cannot run " + helm + ": " + e.getMessage(), "check the binary", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while running helm template", null, e);
    }
  }
}
