package io.cnai.installer.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A chart unpacked into a private temporary folder, with its pinned subcharts placed into {@code
 * charts/} (every subchart unpacked, so that the template rewrites reach it too), ready for Helm.
 */
final class ChartWorkspace implements AutoCloseable {
  static final ObjectMapper YAML = yamlMapper();

  private final Path root;
  private final Path chartDir;
  private final String chartName;
  private final String chartVersion;
  private int unrewrittenHas;
  private final List<String> unrewrittenAt = new ArrayList<>();

  private ChartWorkspace(Path root, Path chartDir) {
    this.root = root;
    this.chartDir = chartDir;
    JsonNode meta = readYaml(chartDir.resolve("Chart.yaml"));
    this.chartName = meta.path("name").asText(chartDir.getFileName().toString());
    this.chartVersion = meta.path("version").asText("?");
  }

  static ObjectMapper yamlMapper() {
    return io.cnai.installer.json.Mappers.YAML;
  }

  static ChartWorkspace open(RenderRequest request) {
    return open(request, true);
  }

  /** @param rewrite whether to apply {@link TemplateRewrites} (helm-java needs them, the Helm CLI does not) */
  static ChartWorkspace open(RenderRequest request, boolean rewrite) {
    Path archive = request.chartArchive();
    if (!Files.isRegularFile(archive)) {
      throw CnaiException.badInput(
          "chart archive " + archive + " does not exist",
          "fetch the chart first (the chart cache hands out the archive path)");
    }
    Path root;
    try {
      root = Files.createTempDirectory("cnai-render-");
    } catch (IOException e) {
      throw CnaiException.failure("cannot create a temporary folder to render in: " + e.getMessage(),
          "check free space and permissions of the temporary directory (java.io.tmpdir)", e);
    }
    ChartWorkspace ws = null;
    try {
      ws = new ChartWorkspace(root, ChartArchives.extract(archive, root.resolve("chart")));
      ws.placeSubcharts(request.subchartArchives());
      ws.unpackBundled(ws.chartDir);
      if (rewrite) {
        JsonNode values = merge(readYaml(ws.chartDir.resolve("values.yaml")), YAML.valueToTree(request.values()));
        ws.rewrite(ws.chartDir, request.apiVersions(), values, values.path("tags"));
      }
      return ws;
    } catch (RuntimeException e) {
      if (ws != null) {
        ws.close();
      } else {
        deleteTree(root);
      }
      throw e;
    }
  }

  Path chartDir() {
    return chartDir;
  }

  String chartName() {
    return chartName;
  }

  String chartVersion() {
    return chartVersion;
  }

  /**
   * How many {@code .Capabilities.APIVersions.Has} calls of the chart and its enabled subcharts
   * could not be given the target's API versions (disabled subcharts are not rendered by Helm, so
   * they are not judged).
   */
  int unrewrittenHas() {
    return unrewrittenHas;
  }

  /** Where those calls are: "charts/sub/templates/x.yaml:12", relative to the chart. */
  List<String> unrewrittenAt() {
    return List.copyOf(unrewrittenAt);
  }

  Path newFile(String name) {
    return root.resolve(name);
  }

  private void placeSubcharts(List<Path> archives) {
    if (archives.isEmpty()) {
      return;
    }
    Path charts = chartDir.resolve("charts");
    int i = 0;
    for (Path archive : archives) {
      if (!Files.isRegularFile(archive)) {
        throw CnaiException.badInput(
            "subchart archive " + archive + " of chart " + chartName + " does not exist",
            "fetch the pinned subchart first (the chart cache hands out the archive path)");
      }
      Path unpacked = ChartArchives.extract(archive, root.resolve("sub-" + i++));
      String name = readYaml(unpacked.resolve("Chart.yaml")).path("name").asText(unpacked.getFileName().toString());
      try {
        Files.createDirectories(charts);
        // The pinned subchart replaces a bundled one of the same name.
        try (Stream<Path> s = Files.list(charts)) {
          for (Path p : s.toList()) {
            if (isChartNamed(p, name)) {
              deleteTree(p);
            }
          }
        }
        Files.move(unpacked, charts.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static boolean isChartNamed(Path p, String name) {
    if (Files.isDirectory(p)) {
      return p.getFileName().toString().equals(name)
          || readYaml(p.resolve("Chart.yaml")).path("name").asText("").equals(name);
    }
    String f = p.getFileName().toString();
    return f.endsWith(".tgz") && f.matches(java.util.regex.Pattern.quote(name) + "-\\d.*\\.tgz");
  }

  /** Bundled {@code charts/*.tgz} become folders, recursively. */
  private void unpackBundled(Path dir) {
    Path charts = dir.resolve("charts");
    if (!Files.isDirectory(charts)) {
      return;
    }
    try (Stream<Path> s = Files.list(charts)) {
      for (Path p : s.sorted().toList()) {
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".tgz")) {
          Path tmp = Files.createTempDirectory(root, "bundled-");
          Path unpacked = ChartArchives.extract(p, tmp);
          Files.delete(p);
          Path target = charts.resolve(unpacked.getFileName().toString());
          if (Files.exists(target)) {
            target = charts.resolve(unpacked.getFileName() + "-" + tmp.getFileName());
          }
          Files.move(unpacked, target);
        }
      }
      try (Stream<Path> s2 = Files.list(charts)) {
        for (Path p : s2.sorted().toList()) {
          if (Files.isRegularFile(p.resolve("Chart.yaml"))) {
            unpackBundled(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Applies {@link TemplateRewrites} to the chart in {@code dir} and, recursively, to the subcharts
   * its values enable (Helm's condition and tags rule, as for CRDs). A disabled subchart is left as
   * it is: Helm drops it before rendering, so none of its templates is parsed or judged.
   */
  private void rewrite(Path dir, List<String> apiVersions, JsonNode values, JsonNode topTags) {
    try {
      Path templates = dir.resolve("templates");
      if (Files.isDirectory(templates)) {
        try (Stream<Path> s = Files.walk(templates)) {
          for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            TemplateRewrites.Result r = TemplateRewrites.template(text, apiVersions);
            unrewrittenHas += r.unrewrittenHas();
            for (int line : r.unrewrittenLines()) {
              unrewrittenAt.add(chartDir.relativize(f) + ":" + line);
            }
            if (!r.text().equals(text)) {
              Files.writeString(f, r.text(), StandardCharsets.UTF_8);
            }
          }
        }
      }
      Path valuesFile = dir.resolve("values.yaml");
      if (Files.isRegularFile(valuesFile)) {
        String text = Files.readString(valuesFile, StandardCharsets.UTF_8);
        String changed = TemplateRewrites.values(text);
        if (!changed.equals(text)) {
          Files.writeString(valuesFile, changed, StandardCharsets.UTF_8);
        }
      }
      forEachEnabledSubchart(dir, values, topTags, (sub, subValues) -> rewrite(sub, apiVersions, subValues, topTags));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Calls {@code action} with each subchart folder under {@code dir/charts} that {@code values}
   * enable, and the values it sees (its values.yaml under the parent's values for its name or alias).
   */
  private static void forEachEnabledSubchart(
      Path dir, JsonNode values, JsonNode topTags, java.util.function.BiConsumer<Path, JsonNode> action) {
    Path charts = dir.resolve("charts");
    if (!Files.isDirectory(charts)) {
      return;
    }
    JsonNode deps = readYaml(dir.resolve("Chart.yaml")).path("dependencies");
    if (!deps.isArray()) {
      deps = readYaml(dir.resolve("requirements.yaml")).path("dependencies"); // apiVersion v1 charts
    }
    try (Stream<Path> s = Files.list(charts)) {
      for (Path sub : s.sorted().toList()) {
        if (!Files.isRegularFile(sub.resolve("Chart.yaml"))) {
          continue;
        }
        String name = readYaml(sub.resolve("Chart.yaml")).path("name").asText(sub.getFileName().toString());
        JsonNode dep = null;
        for (JsonNode d : deps) {
          if (name.equals(d.path("name").asText())) {
            dep = d;
          }
        }
        String key = dep != null && !dep.path("alias").asText("").isEmpty() ? dep.path("alias").asText() : name;
        if (dep == null || enabled(dep, values, topTags)) {
          action.accept(sub, merge(readYaml(sub.resolve("values.yaml")), values.path(key)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The CRD documents of {@code crds/} (any depth; .yaml, .yml, .json) of this chart and of every
   * subchart that the values enable (Chart.yaml {@code condition} and {@code tags}, as Helm decides),
   * in path order, chart before subcharts.
   */
  List<String> crdDocuments(Map<String, Object> userValues) {
    JsonNode values = merge(readYaml(chartDir.resolve("values.yaml")), YAML.valueToTree(userValues));
    List<String> out = new ArrayList<>();
    collectCrds(chartDir, values, values.path("tags"), out);
    return out;
  }

  private void collectCrds(Path dir, JsonNode values, JsonNode topTags, List<String> out) {
    Path crds = dir.resolve("crds");
    if (Files.isDirectory(crds)) {
      try (Stream<Path> s = Files.walk(crds)) {
        for (Path f : s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
          String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
          if (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")) {
            out.addAll(Manifests.documents(Files.readString(f, StandardCharsets.UTF_8), dir.relativize(f).toString()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    forEachEnabledSubchart(dir, values, topTags, (sub, subValues) -> collectCrds(sub, subValues, topTags, out));
  }

  /** Helm's rule: the first condition path that resolves to a boolean decides; else any tag set true; else enabled. */
  static boolean enabled(JsonNode dep, JsonNode values, JsonNode tags) {
    String condition = dep.path("condition").asText("");
    for (String path : condition.split(",")) {
      path = path.trim();
      if (path.isEmpty()) {
        continue;
      }
      JsonNode n = values;
      for (String part : path.split("\\.")) {
        n = n.path(part);
      }
      if (n.isBoolean()) {
        return n.booleanValue();
      }
    }
    JsonNode depTags = dep.path("tags");
    if (depTags.isArray() && !depTags.isEmpty()) {
      boolean anySet = false;
      for (JsonNode t : depTags) {
        JsonNode v = tags.path(t.asText());
        if (v.isBoolean()) {
          anySet = true;
          if (v.booleanValue()) {
            return true;
          }
        }
      }
      return !anySet;
    }
    return true;
  }

  static JsonNode merge(JsonNode base, JsonNode over) {
    if (!(base instanceof ObjectNode b) || !over.isObject()) {
      return over.isMissingNode() || over.isNull() ? base : over;
    }
    ObjectNode out = b.deepCopy();
    over.fields().forEachRemaining(e -> out.set(e.getKey(), merge(out.path(e.getKey()), e.getValue())));
    return out;
  }

  static JsonNode readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
      return YAML.createObjectNode();
    }
    try {
      JsonNode n = YAML.readTree(file.toFile());
      return n == null || n.isMissingNode() ? YAML.createObjectNode() : n;
    } catch (IOException e) {
      throw CnaiException.badInput(
          "chart file " + file.getFileName() + " is not valid YAML: " + e.getMessage(),
          "fix the chart, or use the archive as its repository publishes it");
    }
  }

  @Override
  public void close() {
    deleteTree(root);
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    } catch (IOException ignored) {
      // best effort: a temporary folder
    }
  }
}
