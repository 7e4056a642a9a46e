package io.cnai.installer.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.MappingIterator;
import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.distro.Component;
import io.cnai.distro.Source;
import io.cnai.installer.charts.ChartCache;
import io.cnai.installer.charts.ChartCoordinates;
import io.cnai.installer.charts.FetchedChart;
import io.cnai.installer.helm.ChartRenderer;
import io.cnai.installer.helm.Manifest;
import io.cnai.installer.helm.RenderRequest;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.PlanStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a plan into manifests: first fetches and verifies every chart, subchart and manifest of
 * the plan, then renders each component whose artifacts verified. A failing component does not
 * stop the others: every failure is collected and reported together (exit code of the gravest: a
 * digest mismatch is 3), and then nothing is returned, so nothing is written or applied.
 */
public final class StackRenderer {
  private final ChartCache charts;
  private final ManifestSources manifests;
  private final ChartRenderer renderer;

  public StackRenderer(ChartCache charts, ManifestSources manifests, ChartRenderer renderer) {
    this.charts = charts;
    this.manifests = manifests;
    this.renderer = renderer;
  }

  /** What was fetched for one component, with the digests actually seen. */
  public record Fetched(PlanStep step, String digest, FetchedChart chart, List<FetchedChart> subcharts, ManifestSources.Fetched manifest) {}

  public record RenderedComponent(PlanStep step, String digest, List<String> subchartDigests, RenderedChart rendered) {}

  public record RenderedStack(Plan plan, List<RenderedComponent> components) {}

  /**
   * Fetches and verifies every artifact of the plan; nothing else. Every component is tried: a
   * failure does not stop the others, and all failures are reported together (see {@link
   * #combined}).
   */
  public List<Fetched> fetchAll(Plan plan) {
    List<Failure> failures = new ArrayList<>();
    List<Fetched> out = fetch(plan, failures);
    throwIfAny(failures, plan.steps().size());
    return out;
  }

  private List<Fetched> fetch(Plan plan, List<Failure> failures) {
    List<Fetched> out = new ArrayList<>();
    for (PlanStep step : plan.steps()) {
      Component c = step.component();
      try {
        if (c.source() instanceof Source.Helm h) {
          FetchedChart chart = charts.fetch(new ChartCoordinates(h.repository(), h.chart(), h.version()), h.digest());
          List<FetchedChart> subs = new ArrayList<>();
          for (Component.Subchart s : c.subcharts()) {
            subs.add(charts.fetch(new ChartCoordinates(s.repository(), s.name(), s.version()), s.digest()));
          }
          out.add(new Fetched(step, chart.digest(), chart, subs, null));
        } else {
          ManifestSources.Fetched m = manifests.fetch(c.name(), c.source());
          out.add(new Fetched(step, m.digest(), null, List.of(), m));
        }
      } catch (CnaiException e) {
        failures.add(new Failure(step.name(), "fetch", e));
      }
    }
    return out;
  }

  /**
   * Fetches and verifies every artifact, then renders every component whose artifacts verified.
   * Nothing unverified is rendered. When anything failed, every failure (fetch and render) is
   * reported in one exception, and no partial stack is returned.
   */
  public RenderedStack render(Plan plan) {
    List<Failure> failures = new ArrayList<>();
    List<Fetched> fetched = fetch(plan, failures);
    // components render at the same time (each in its own workspace); results keep the plan's order
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
        Math.max(1, Math.min(RENDER_THREADS, fetched.size())), r -> {
          Thread t = new Thread(r, "cnai-render");
          t.setDaemon(true);
          return t;
        });
    try {
      List<java.util.concurrent.Future<RenderedChart>> futures = new ArrayList<>();
      for (Fetched f : fetched) {
        futures.add(pool.submit(() -> f.chart() != null
            ? renderChart(plan, f.step(), f.chart().archive(), f.subcharts().stream().map(FetchedChart::archive).toList())
            : split(f.step().name(), f.manifest().bytes())));
      }
      List<RenderedComponent> out = new ArrayList<>();
      for (int i = 0; i < fetched.size(); i++) {
        Fetched f = fetched.get(i);
        RenderedChart rendered;
        try {
          rendered = futures.get(i).get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof CnaiException ce) {
            failures.add(new Failure(f.step().name(), "render", ce));
            continue;
          }
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw CnaiException.failure("interrupted while rendering", "run the same command again");
        }
        out.add(new RenderedComponent(f.step(), f.digest(), f.subcharts().stream().map(FetchedChart::digest).toList(), rendered));
      }
      throwIfAny(failures, plan.steps().size());
      return new RenderedStack(plan, out);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Charts rendered at the same time: more than the cores only adds memory. */
  private static final int RENDER_THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /** Renders a chart archive as {@code step} of {@code plan} is rendered: same release, namespace, values and target. */
  public RenderedChart renderChart(Plan plan, PlanStep step, java.nio.file.Path archive, List<java.nio.file.Path> subcharts) {
    return renderer.render(new RenderRequest(archive, subcharts, step.name(), step.component().namespace(), step.values(),
        plan.target().kubernetes().toString(), plan.target().apiVersions()));
  }

  /** One component that could not be fetched or rendered. */
  public record Failure(String component, String stage, CnaiException error) {}

  private static void throwIfAny(List<Failure> failures, int components) {
    if (failures.size() == 1) {
      throw failures.get(0).error();
    }
    if (!failures.isEmpty()) {
      throw combined(failures, components);
    }
  }

  /**
   * One exception for several failures: each component with its problem and hint. Its kind is the
   * gravest of theirs by exit code (verification 3, bad input 2, failure 1).
   */
  static CnaiException combined(List<Failure> failures, int components) {
    ErrorKind kind = ErrorKind.FAILURE;
    for (Failure f : failures) {
      if (f.error().kind().exitCode() > kind.exitCode()) {
        kind = f.error().kind();
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(failures.size()).append(" of ").append(components).append(" components failed (all listed; nothing was written or applied):");
    for (Failure f : failures) {
      String problem = f.error().location() != null ? f.error().location() + ": " + f.error().problem() : f.error().problem();
      sb.append("\n  - ").append(f.component()).append(" (").append(f.stage()).append("): ")
          .append(problem.replace("\n", "\n      "));
      if (f.error().hint() != null && !f.error().hint().isBlank()) {
        sb.append("\n      hint: ").append(f.error().hint());
      }
    }
    return new CnaiException(kind, null, sb.toString(), "fix each problem above (its own hint says how), then run the command again");
  }

  private static final ObjectMapper YAML = io.cnai.installer.json.Mappers.YAML;

  /** The objects of a fetched manifest (or kustomize) component: its verified bytes, split; no Helm involved. */
  public static RenderedChart manifestObjects(Fetched f) {
    if (f.manifest() == null) {
      throw new IllegalArgumentException(f.step().name() + " is a Helm component");
    }
    return split(f.step().name(), f.manifest().bytes());
  }

  /** Splits a multi-document manifest file into objects, CRDs apart. */
  static RenderedChart split(String component, byte[] bytes) {
    List<Manifest> crds = new ArrayList<>();
    List<Manifest> resources = new ArrayList<>();
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String> docs = new ArrayList<>();
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        docs.add(doc.strip());
      }
    }
    for (String doc : docs) {
      JsonNode n;
      try (JsonParser p = YAML.getFactory().createParser(doc)) {
        MappingIterator<JsonNode> it = YAML.readValues(p, JsonNode.class);
        n = it.hasNext() ? it.next() : null;
      } catch (IOException e) {
        throw CnaiException.failure("component '" + component + "': its manifests are not valid YAML: " + e.getMessage(), "check the upstream manifests");
      }
      if (n == null || n.isNull() || !n.isObject()) {
        continue;
      }
      JsonNode meta = n.path("metadata");
      Manifest m =
          new Manifest(
              n.path("apiVersion").asText(null),
              n.path("kind").asText(null),
              meta.hasNonNull("namespace") ? meta.get("namespace").asText() : null,
              meta.path("name").asText(null),
              doc);
      (m.isCrd() ? crds : resources).add(m);
    }
    return new RenderedChart(crds, resources, List.of());
  }

  /**
   * The renderer a command uses: charts and manifests cached under CNAI_CACHE (or ~/.cache/cnai),
   * fetched through {@code repositories}, rendered in-process by helm-java.
   */
  public static StackRenderer standard(io.cnai.installer.charts.ChartRepositoryClient repositories) {
    return standard(repositories, java.util.function.UnaryOperator.identity());
  }

  /**
   * As {@link #standard(io.cnai.installer.charts.ChartRepositoryClient)}, with manifest URLs and
   * kustomize git repositories fetched from {@code manifestLocations.apply(upstream)}. Commands get
   * it from {@code Mirrors.renderer()}, which keeps charts and manifests on the same mirrors.
   */
  public static StackRenderer standard(
      io.cnai.installer.charts.ChartRepositoryClient repositories, java.util.function.UnaryOperator<String> manifestLocations) {
    return standard(repositories, manifestLocations, java.util.Map.of());
  }

  /**
   * As {@link #standard(io.cnai.installer.charts.ChartRepositoryClient, java.util.function.UnaryOperator)},
   * with the git repositories that kustomize bases pull in themselves fetched from {@code gitMirrors}
   * (upstream prefix to mirror prefix; see {@link ManifestSources#withGitMirrors}).
   */
  public static StackRenderer standard(
      io.cnai.installer.charts.ChartRepositoryClient repositories,
      java.util.function.UnaryOperator<String> manifestLocations,
      java.util.Map<String, String> gitMirrors) {
    Path cacheRoot = ChartCache.defaultRoot(System.getenv());
    return new StackRenderer(
        new ChartCache(cacheRoot, repositories),
        new ManifestSources(manifestCacheRoot(cacheRoot), manifestLocations).withGitMirrors(gitMirrors),
        new io.cnai.installer.helm.HelmJavaRenderer());
  }

  /** Helper for callers that only have the cache root. */
  public static Path manifestCacheRoot(Path chartCacheRoot) {
    return chartCacheRoot.resolveSibling("manifests");
  }
}
