package io.cnai.installer.helm;

import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.charts.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: prints how long {@link HelmJavaRenderer} takes on each fixture chart (median of
 * {@code runs} renders after one warm-up), for docs/rendering.md. Run from the repository root:
 *
 * <pre>
 * ./mvnw -q -o -pl installer -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cnai-cp.txt
 * java -cp installer/target/test-classes:installer/target/classes:distro/target/classes:$(cat /tmp/cnai-cp.txt) \
 *   io.cnai.installer.helm.RenderTimings 10
 * </pre>
 */
public final class RenderTimings {
  private RenderTimings() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path out = Files.createTempDirectory("cnai-render-timings-");
    try {
      HelmJavaRenderer renderer = new HelmJavaRenderer();
      System.out.printf("%-14s %8s %8s %10s %14s%n", "chart", "objects", "bytes", "median ms", "helm CLI ms");
      for (String chart : List.of("certs", "queues", "kubeversion", "lookup", "hooks", "capabilities", "schema", "symlinked")) {
        Path archive = TestCharts.packageChart(chart, out.resolve(chart));
        report(chart, renderer, RenderRequest.of(archive, "rel", "team-a", "1.35.0"), runs);
      }
      Path dir = TestCharts.copy("queues", out.resolve("large"));
      Files.createDirectories(dir.resolve("crds"));
      Files.writeString(dir.resolve("crds/giants.yaml"), LargeCrd.yaml("giants.queues.cnai.test", "Giant", 1_200_000));
      Files.writeString(dir.resolve("templates/crd/titans.yaml"), LargeCrd.yaml("titans.queues.cnai.test", "Titan", 1_100_000));
      report("large-crds", renderer, RenderRequest.of(TestCharts.packageDir(dir, out.resolve("large-out")), "rel", "team-a", "1.35.0"), runs);
    } finally {
      TestFiles.deleteTree(out);
    }
  }

  /** Median wall time of {@code helm template} (built by build-helm.sh) on the same archive, or "-". */
  private static String cli(RenderRequest request, int runs) {
    Path helm = HelmCliRenderer.defaultBinary(System.getenv());
    if (!Files.isExecutable(helm)) {
      return "-";
    }
    try {
      List<Long> times = new ArrayList<>();
      for (int i = 0; i <= runs; i++) {
        long t = System.nanoTime();
        Process p = new ProcessBuilder(helm.toString(), "template", request.releaseName(), request.chartArchive().toString(),
                "--namespace", request.namespace(), "--kube-version", request.kubeVersion(), "--include-crds")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        p.waitFor();
        if (i > 0) {
          times.add((System.nanoTime() - t) / 1_000_000);
        }
      }
      return String.valueOf(times.stream().mapToLong(Long::longValue).sorted().toArray()[times.size() / 2]);
    } catch (Exception e) {
      return "error";
    }
  }

  private static void report(String name, ChartRenderer renderer, RenderRequest request, int runs) {
    RenderedChart first = renderer.render(request);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      renderer.render(request);
      times.add((System.nanoTime() - t) / 1_000_000);
    }
    long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
    int objects = first.crds().size() + first.resources().size() + first.hooks().size();
    System.out.printf("%-14s %8d %8d %10d %14s%n", name, objects, first.size(), sorted[sorted.length / 2], cli(request, runs));
    Arrays.fill(sorted, 0);
  }
}
