package io.cnai.installer.render;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.Location;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import io.cnai.installer.charts.ChartCoordinates;
import io.cnai.installer.charts.ChartRepositories;
import io.cnai.installer.charts.ChartRepositoryClient;
import io.cnai.installer.charts.ResolvedChart;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps upstream locations to local mirrors, for installs that cannot (or should not) reach
 * upstream. Read from a strict YAML file:
 *
 * <pre>
 * apiVersion: cnai.io/v1alpha1
 * kind: Mirrors
 * mirrors:
 *   - upstream: https://charts.example.org/stable      # a Helm chart repository
 *     mirror: http://10.0.0.5:8080/stable
 *   - upstream: oci://registry.example.org/charts      # an OCI registry of charts
 *     mirror: oci://10.0.0.5:5000/charts
 *   - upstream: https://github.com/kubeflow            # manifest URLs and kustomize git repositories
 *     mirror: file:///srv/mirror/github.com/kubeflow
 * </pre>
 *
 * It applies to every location the distribution names: chart and subchart repositories, the URLs
 * of {@code manifest} sources and the git repositories of {@code kustomize} sources, and to the
 * git repositories of remote bases that those kustomizations pull in themselves (nested, any
 * depth): once a mirrors file is given, a remote base that no entry covers is refused. A location is
 * replaced when it equals an {@code upstream} or starts with {@code upstream + "/"}; when several
 * entries match, the longest {@code upstream} wins. Digests are unchanged: a mirror must serve the
 * same bytes as upstream, or verification refuses them (exit 3), exactly as it would upstream's.
 */
public record Mirrors(List<Entry> entries) {
  /** One mapping, with where it was written (null when not read from a file). */
  public record Entry(String upstream, String mirror, Location location) {}

  /** http(s):// and oci:// (charts), file:// (manifests, git); no query, fragment or blanks. */
  private static final Pattern LOCATION = Pattern.compile("^(https?|oci|file)://[^\\s?#]+$");

  public Mirrors {
    entries = List.copyOf(entries);
  }

  public static Mirrors none() {
    return new Mirrors(List.of());
  }

  /** The mirrors of {@code file}, or none when {@code file} is null. */
  public static Mirrors from(Path file) {
    return file == null ? none() : load(file);
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
    List<Entry> entries =
        f.list("mirrors", n -> {
          Fields e = Fields.of(n, "mirror");
          String up = location(e, "upstream");
          String to = location(e, "mirror");
          e.done();
          String upScheme = scheme(up);
          String toScheme = scheme(to);
          if ((upScheme.equals("oci") && toScheme.equals("file")) || (upScheme.equals("file") && toScheme.equals("oci"))) {
            throw CnaiException.badInput(e.location(), "upstream " + up + " cannot be mirrored by " + to
                    + ": oci:// holds only charts, and file:// serves only manifest files and git repositories",
                "mirror an oci:// registry with an oci:// (or http(s):// chart repository) location, and manifests or git repositories with file:// or http(s)://");
          }
          if (up.equals(to)) {
            throw CnaiException.badInput(e.location(), "upstream " + up + " is mirrored by itself", "write the mirror's location, or remove the entry");
          }
          return new Entry(up, to, e.location());
        });
    f.done();
    Map<String, Entry> seen = new HashMap<>();
    for (Entry e : entries) {
      Entry before = seen.putIfAbsent(e.upstream(), e);
      if (before != null) {
        throw CnaiException.badInput(e.location(), "upstream " + e.upstream() + " is mirrored twice (also at " + before.location() + ")",
            "keep one entry per upstream");
      }
    }
    return new Mirrors(entries);
  }

  private static String location(Fields e, String key) {
    String raw = e.string(key);
    String s = trim(raw.strip());
    if (!LOCATION.matcher(s).matches()) {
      throw CnaiException.badInput(e.keyLocation(key), key + " '" + raw + "' is not an http://, https://, oci:// or file:// location",
          "write the location as it appears in the distribution, without a query or fragment, e.g. https://charts.example.org,"
              + " oci://host/path, https://github.com/org or file:///srv/mirror/github.com/org");
    }
    return s;
  }

  private static String scheme(String location) {
    return location.substring(0, location.indexOf("://"));
  }

  private static String trim(String s) {
    String t = s;
    while (t.endsWith("/") && !t.endsWith("://")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  /** The entry whose upstream is the longest prefix of {@code location}, or null. */
  private Entry match(String location) {
    Entry best = null;
    for (Entry e : entries) {
      if ((location.equals(e.upstream()) || location.startsWith(e.upstream() + "/"))
          && (best == null || e.upstream().length() > best.upstream().length())) {
        best = e;
      }
    }
    return best;
  }

  /** The location to fetch {@code location} from: its mirror, or itself when none matches. */
  public String resolve(String location) {
    String r = trim(location);
    Entry e = match(r);
    return e == null ? location : e.mirror() + r.substring(e.upstream().length());
  }

  /** As {@link #resolve}, for a Helm chart repository: its mirror must serve charts (not file://). */
  public String chartRepository(String repository) {
    String r = resolve(repository);
    if (r.startsWith("file://")) {
      Entry e = match(trim(repository));
      throw CnaiException.badInput(e.location(), "chart repository " + repository + " would be mirrored by " + r
              + ", but charts are fetched only from http(s):// repositories and oci:// registries",
          "serve the charts from an HTTP chart repository or OCI registry, or give the chart repository its own (longer) upstream entry");
    }
    return r;
  }

  /**
   * As {@link #resolve}, for the URL of a manifest or the git repository of a kustomize base: its
   * mirror must be http(s):// or file://, not oci://.
   */
  public String manifestLocation(String location) {
    String r = resolve(location);
    if (r.startsWith("oci://")) {
      Entry e = match(trim(location));
      throw CnaiException.badInput(e.location(), location + " would be mirrored by " + r
              + ", but manifests and git repositories are fetched only from http(s):// and file:// locations",
          "give the manifest or git location its own (longer) upstream entry with an http(s):// or file:// mirror");
    }
    return r;
  }

  /** A repository client that asks the mirrors instead of upstream. */
  public ChartRepositoryClient wrap(ChartRepositoryClient upstream) {
    if (entries.isEmpty()) {
      return upstream;
    }
    return new ChartRepositoryClient() {
      @Override
      public ResolvedChart resolve(ChartCoordinates c) {
        return upstream.resolve(new ChartCoordinates(chartRepository(c.repository()), c.chart(), c.version()));
      }

      @Override
      public List<String> versions(String repository, String chart) {
        return upstream.versions(chartRepository(repository), chart);
      }

      @Override
      public void download(ResolvedChart chart, Path target) {
        upstream.download(chart, target);
      }
    };
  }

  /**
   * The renderer of the commands that fetch (render, sbom, install, upgrade, up, rollback): the
   * standard one, with charts, manifests and kustomize repositories fetched through these mirrors.
   * The lock, and so every digest, stays upstream's.
   */
  public StackRenderer renderer() {
    return StackRenderer.standard(wrap(ChartRepositories.standard()), entries.isEmpty() ? l -> l : this::manifestLocation, gitMirrors());
  }

  /**
   * The entries that can serve git repositories (neither side oci://), upstream to mirror: for the
   * remote bases that kustomize bases pull in themselves, which cnai does not see before kustomize
   * runs (see {@code ManifestSources.withGitMirrors}).
   */
  public Map<String, String> gitMirrors() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Entry e : entries) {
      if (!e.upstream().startsWith("oci://") && !e.mirror().startsWith("oci://")) {
        out.put(e.upstream(), e.mirror());
      }
    }
    return out;
  }
}
