package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import io.cnai.installer.charts.ChartCoordinates;
import io.cnai.installer.charts.ChartRepositoryClient;
import io.cnai.installer.charts.ResolvedChart;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps upstream chart repositories and registries to local mirrors. Read from a strict YAML file:
 *
 * <pre>
 * apiVersion: cnai.io/v1alpha1
 * kind: Mirrors
 * mirrors:
 *   - upstream: https://charts.example.org/stable
 *     mirror: http://10.0.0.5:8080/stable
 *   - upstream: oci://registry.example.org/charts
 *     mirror: oci://10.0.0.5:5000/charts
 * </pre>
 *
 * A repository is replaced when it equals {@code upstream} or starts with {@code upstream + "/"}.
 * Digests are unchanged: a mirror must serve the same bytes, or verification refuses them.
 */
public record Mirrors(Map<String, String> map) {
  public Mirrors {
    map = Map.copyOf(map);
  }

  public static Mirrors none() {
    return new Mirrors(Map.of());
  }

  public static Mirrors load(Path file) {
    YNode root = Yaml.read(file);
    Fields f = Fields.of(root, "mirrors file");
    String api = f.string("apiVersion");
    String kind = f.string("kind");
    if (!"cnai.io/v1alpha1".equals(api) || !"Mirrors".equals(kind)) {
      throw CnaiException.badInput(f.location(), "is not a mirrors file (apiVersion " + api + ", kind " + kind + ")",
          "start the file with 'apiVersion: cnai.io/v1alpha1' and 'kind: Mirrors'");
    }
    Map<String, String> map = new LinkedHashMap<>();
    List<String[]> entries =
        f.list("mirrors", n -> {
          Fields e = Fields.of(n, "mirror");
          String up = trim(e.string("upstream"));
          String to = trim(e.string("mirror"));
          for (String u : List.of(up, to)) {
            if (!u.matches("(https?|oci)://.+")) {
              throw CnaiException.badInput(e.location(), "'" + u + "' is not an http://, https:// or oci:// location",
                  "write the repository as it appears in the distribution, e.g. https://charts.example.org or oci://host/path");
            }
          }
          e.done();
          return new String[] {up, to};
        });
    f.done();
    for (String[] e : entries) {
      if (map.putIfAbsent(e[0], e[1]) != null) {
        throw CnaiException.badInput(f.location(), "upstream " + e[0] + " is mirrored twice", "keep one entry per upstream");
      }
    }
    return new Mirrors(map);
  }

  private static String trim(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** The repository to use for {@code repository}. */
  public String resolve(String repository) {
    String r = trim(repository);
    for (var e : map.entrySet()) {
      if (r.equals(e.getKey()) || r.startsWith(e.getKey() + "/")) {
        return e.getValue() + r.substring(e.getKey().length());
      }
    }
    return repository;
  }

  /** A repository client that asks the mirrors instead of upstream. */
  public ChartRepositoryClient wrap(ChartRepositoryClient upstream) {
    if (map.isEmpty()) {
      return upstream;
    }
    return new ChartRepositoryClient() {
      @Override
      public ResolvedChart resolve(ChartCoordinates c) {
        return upstream.resolve(new ChartCoordinates(Mirrors.this.resolve(c.repository()), c.chart(), c.version()));
      }

      @Override
      public List<String> versions(String repository, String chart) {
        return upstream.versions(Mirrors.this.resolve(repository), chart);
      }

      @Override
      public void download(ResolvedChart chart, Path target) {
        upstream.download(chart, target);
      }
    };
  }
}
