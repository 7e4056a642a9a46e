package io.cnai.installer.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * An HTTP(S) chart repository: reads {@code <repository>/index.yaml}, finds the chart's entry by
 * name and exact version, and downloads the archive from the entry's first URL (relative URLs are
 * resolved against the index). The index of a repository is read once per client.
 */
public final class HttpChartRepositoryClient implements ChartRepositoryClient {
  /** Real indexes reach tens of MiB; refuse anything absurd. */

  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper yaml;
  private final Map<String, JsonNode> indexes = new ConcurrentHashMap<>();

  public HttpChartRepositoryClient(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
    this.yaml = io.cnai.installer.json.Mappers.YAML;
  }

  public HttpChartRepositoryClient() {
    this(defaultHttpClient(), Duration.ofMinutes(2));
  }

  static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  @Override
  public ResolvedChart resolve(ChartCoordinates c) {
    if (c.isOci()) {
      throw new IllegalArgumentException("not an HTTP chart repository: " + c.repository());
    }
    URI indexUri = URI.create(c.repository() + "/index.yaml");
    JsonNode index = indexes.computeIfAbsent(c.repository(), r -> readIndex(c, indexUri));
    JsonNode versions = index.path("entries").path(c.chart());
    if (!versions.isArray() || versions.isEmpty()) {
      throw CnaiException.badInput(
          "chart '" + c.chart() + "' is not in the chart repository " + c.repository(),
          "check the chart name; the repository lists: " + sample(index.path("entries").fieldNames()));
    }
    List<String> known = new ArrayList<>();
    for (JsonNode entry : versions) {
      String v = entry.path("version").asText();
      known.add(v);
      if (v.equals(c.version())) {
        return toResolved(c, indexUri, entry);
      }
    }
    String hint = "use a version the repository publishes, e.g. " + String.join(", ", known.subList(0, Math.min(8, known.size())));
    if (known.contains("v" + c.version()) || known.contains(c.version().replaceFirst("^v", ""))) {
      hint = "this repository spells the version "
          + (known.contains("v" + c.version()) ? "v" + c.version() : c.version().replaceFirst("^v", ""))
          + "; write it exactly so";
    }
    throw CnaiException.badInput(
        "chart " + c.describe() + ": version '" + c.version() + "' is not in the repository index", hint);
  }

  @Override
  public List<String> versions(String repository, String chart) {
    ChartCoordinates c = new ChartCoordinates(repository, chart, "0");
    JsonNode index = indexes.computeIfAbsent(c.repository(), r -> readIndex(c, URI.create(c.repository() + "/index.yaml")));
    List<String> out = new ArrayList<>();
    for (JsonNode entry : index.path("entries").path(chart)) {
      out.add(entry.path("version").asText());
    }
    if (out.isEmpty()) {
      throw CnaiException.badInput(
          "chart '" + chart + "' is not in the chart repository " + c.repository(),
          "check the chart name; the repository lists: " + sample(index.path("entries").fieldNames()));
    }
    return ChartVersions.newestFirst(out);
  }

  private ResolvedChart toResolved(ChartCoordinates c, URI indexUri, JsonNode entry) {
    JsonNode urls = entry.path("urls");
    if (!urls.isArray() || urls.isEmpty()) {
      throw CnaiException.failure(
          "chart " + c.describe() + ": the repository index lists no download URL for it",
          "report it to the chart's maintainers; pick another version meanwhile");
    }
    URI download = indexUri.resolve(urls.get(0).asText());
    String digest = Digests.fromIndex(entry.path("digest").asText(null));
    if (digest != null && !Digests.isValid(digest)) {
      throw CnaiException.failure(
          "chart " + c.describe() + ": the repository index gives the digest '" + entry.path("digest").asText()
              + "', which is not a sha256 digest",
          "report it to the repository's maintainers");
    }
    List<ChartCoordinates> deps = new ArrayList<>();
    for (JsonNode d : entry.path("dependencies")) {
      String repo = d.path("repository").asText("");
      if (repo.isBlank() || repo.startsWith("file://") || repo.startsWith("@") || repo.startsWith("alias:")) {
        repo = c.repository(); // bundled in charts/ or referenced by alias: reported with the parent's repository
      }
      try {
        deps.add(new ChartCoordinates(repo, d.path("name").asText(), d.path("version").asText("*")));
      } catch (CnaiException unreadable) {
        // a dependency cnai cannot name (odd repository, no name) is left out, not fatal to the chart
      }
    }
    return new ResolvedChart(c, digest, download, deps);
  }

  private JsonNode readIndex(ChartCoordinates c, URI indexUri) {
    HttpRequest request = HttpRequest.newBuilder(indexUri).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() == 404) {
          throw CnaiException.badInput(
              "chart repository " + c.repository() + " has no index.yaml (HTTP 404 for " + indexUri + ")",
              "check the repository URL; for an OCI registry write oci://host/path");
        }
        if (response.statusCode() != 200) {
          throw CnaiException.failure(
              "chart repository " + c.repository() + " answered HTTP " + response.statusCode() + " for " + indexUri,
              "try again later, or check the repository URL");
        }
        JsonNode index = yaml.readTree(body);
        if (index == null || !index.path("entries").isObject()) {
          throw CnaiException.failure(
              "chart repository " + c.repository() + ": index.yaml has no 'entries' mapping",
              "check the repository URL; it does not serve a Helm chart repository index");
        }
        return index;
      }
    } catch (CnaiException e) {
      throw e;
    } catch (IOException e) {
      throw unreachable(c.repository(), indexUri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while reading " + indexUri, null, e);
    }
  }

  @Override
  public void download(ResolvedChart chart, Path target) {
    URI uri = chart.downloadUrl();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw CnaiException.failure(
              "chart " + chart.coordinates().describe() + ": download from " + uri + " answered HTTP "
                  + response.statusCode(),
              "try again later; if it persists the repository index points at a missing archive");
        }
        Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (CnaiException e) {
      throw e;
    } catch (IOException e) {
      throw unreachable(chart.coordinates().repository(), uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while downloading " + uri, null, e);
    }
  }

  static CnaiException unreachable(String repository, URI uri, IOException e) {
    String why = e instanceof ConnectException ? "connection refused or unreachable"
        : e instanceof HttpTimeoutException ? "timed out"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return CnaiException.failure(
        "cannot reach " + repository + " (" + uri + "): " + why,
        "check the network and the repository address; charts already in the cache with a locked digest need no network",
        e);
  }

  private static String sample(java.util.Iterator<String> names) {
    List<String> out = new ArrayList<>();
    while (names.hasNext() && out.size() < 10) {
      out.add(names.next());
    }
    return out.isEmpty() ? "(no charts)" : String.join(", ", out) + (names.hasNext() ? ", ..." : "");
  }
}
