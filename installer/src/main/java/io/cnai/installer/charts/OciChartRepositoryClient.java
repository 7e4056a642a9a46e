package io.cnai.installer.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Charts in an OCI registry, through the OCI distribution HTTP API: {@code GET
 * /v2/<name>/manifests/<tag>} (the tag is the chart version, {@code +} written as {@code _} as Helm
 * does), the chart content layer ({@value #CHART_LAYER}) gives digest and download URL, the config
 * blob ({@value #CONFIG_MEDIA_TYPE}) gives the declared dependencies.
 *
 * <p>Anonymous access only: a {@code 401} with {@code WWW-Authenticate: Bearer realm=…} is answered
 * by fetching an anonymous token from the realm (scope {@code repository:<name>:pull}). Loopback
 * registries (localhost, 127.0.0.0/8, ::1) are spoken to over plain HTTP, all others over HTTPS,
 * unless the {@code plainHttp} predicate says otherwise for a host.
 */
public final class OciChartRepositoryClient implements ChartRepositoryClient {
  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  public static final String CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";
  private static final Pattern AUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient http;
  private final Duration timeout;
  private final Predicate<String> plainHttp;
  private final ObjectMapper json = io.cnai.installer.json.Mappers.JSON;
  /** Anonymous bearer tokens by "host[:port] repository-name". */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  public OciChartRepositoryClient(HttpClient http, Duration timeout, Predicate<String> plainHttp) {
    this.http = http;
    this.timeout = timeout;
    this.plainHttp = plainHttp;
  }

  public OciChartRepositoryClient() {
    this(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NEVER).build(),
        Duration.ofMinutes(2),
        OciChartRepositoryClient::isLoopback);
  }

  /** localhost, 127.0.0.0/8 and [::1], with or without a port. */
  public static boolean isLoopback(String hostAndPort) {
    String host = hostAndPort.startsWith("[") ? hostAndPort.substring(0, hostAndPort.indexOf(']') + 1)
        : hostAndPort.replaceFirst(":\\d+$", "");
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  /** oci://host[:port]/path split into registry base URL and repository name. */
  record Reference(String host, URI base, String name, String tag) {
    String display() {
      return "oci://" + host + "/" + name + ":" + tag;
    }
  }

  Reference reference(ChartCoordinates c) {
    String rest = c.repository().substring("oci://".length());
    int slash = rest.indexOf('/');
    String host = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    if (host.isBlank()) {
      throw CnaiException.badInput(
          "chart " + c.describe() + ": the OCI location has no registry host",
          "write oci://<registry host>/<path>, e.g. oci://ghcr.io/org/charts");
    }
    String name = (path.isEmpty() ? "" : path + "/") + c.chart();
    if (!name.equals(name.toLowerCase(Locale.ROOT))) {
      throw CnaiException.badInput(
          "chart " + c.describe() + ": OCI repository names are lower case, '" + name + "' is not",
          "write the OCI location and chart name in lower case");
    }
    String scheme = plainHttp.test(host) ? "http" : "https";
    return new Reference(host, URI.create(scheme + "://" + host), name, c.version().replace('+', '_'));
  }

  @Override
  public ResolvedChart resolve(ChartCoordinates c) {
    Reference ref = reference(c);
    URI manifestUri = URI.create(ref.base() + "/v2/" + ref.name() + "/manifests/" + ref.tag());
    HttpResponse<byte[]> response = get(c, ref, manifestUri, MANIFEST_MEDIA_TYPE);
    if (response.statusCode() == 404) {
      throw CnaiException.badInput(
          "chart " + c.describe() + " not found: the registry has no " + ref.display(),
          "check the OCI location, chart name and version (OCI tags are exact; some charts use a v prefix)");
    }
    requireOk(c, manifestUri, response);
    JsonNode manifest = readJson(c, manifestUri, response.body());
    String mediaType = manifest.path("mediaType").asText(MANIFEST_MEDIA_TYPE);
    if (!mediaType.equals(MANIFEST_MEDIA_TYPE)) {
      throw CnaiException.badInput(
          "chart " + c.describe() + ": " + ref.display() + " is a " + mediaType + ", not a Helm chart manifest",
          "point at a chart pushed with 'helm push'");
    }
    JsonNode chartLayer = null;
    for (JsonNode layer : manifest.path("layers")) {
      if (CHART_LAYER.equals(layer.path("mediaType").asText())) {
        chartLayer = layer;
      }
    }
    if (chartLayer == null) {
      throw CnaiException.badInput(
          "chart " + c.describe() + ": " + ref.display() + " has no Helm chart content layer (" + CHART_LAYER + ")",
          "this OCI artifact is not a Helm chart; check the location");
    }
    String digest = chartLayer.path("digest").asText();
    if (!Digests.isValid(digest)) {
      throw CnaiException.failure(
          "chart " + c.describe() + ": the registry gives the chart layer digest '" + digest + "', not a sha256 digest",
          "cnai supports sha256 digests only");
    }
    List<ChartCoordinates> deps = dependencies(c, ref, manifest.path("config"));
    URI blob = URI.create(ref.base() + "/v2/" + ref.name() + "/blobs/" + digest);
    return new ResolvedChart(c, digest, blob, deps);
  }

  @Override
  public List<String> versions(String repository, String chart) {
    ChartCoordinates c = new ChartCoordinates(repository, chart, "0");
    Reference ref = reference(c);
    List<String> tags = new ArrayList<>();
    URI next = URI.create(ref.base() + "/v2/" + ref.name() + "/tags/list");
    for (int page = 0; next != null && page < 100; page++) {
      HttpResponse<byte[]> response = get(c, ref, next, "application/json");
      if (response.statusCode() == 404) {
        throw CnaiException.badInput(
            "chart '" + chart + "' not found: the registry has no oci://" + ref.host() + "/" + ref.name(),
            "check the OCI location and the chart name");
      }
      requireOk(c, next, response);
      for (JsonNode t : readJson(c, next, response.body()).path("tags")) {
        tags.add(t.asText().replace('_', '+'));
      }
      URI current = next;
      next = response.headers().firstValue("Link")
          .map(l -> l.replaceFirst("^\\s*<([^>]+)>.*$", "$1"))
          .map(current::resolve)
          .orElse(null);
    }
    return ChartVersions.newestFirst(tags);
  }

  private List<ChartCoordinates> dependencies(ChartCoordinates c, Reference ref, JsonNode config) {
    String configDigest = config.path("digest").asText("");
    if (!CONFIG_MEDIA_TYPE.equals(config.path("mediaType").asText()) || configDigest.isEmpty()) {
      return List.of();
    }
    URI uri = URI.create(ref.base() + "/v2/" + ref.name() + "/blobs/" + configDigest);
    HttpResponse<byte[]> response = get(c, ref, uri, CONFIG_MEDIA_TYPE);
    requireOk(c, uri, response);
    JsonNode meta = readJson(c, uri, response.body());
    List<ChartCoordinates> deps = new ArrayList<>();
    for (JsonNode d : meta.path("dependencies")) {
      String repo = d.path("repository").asText("");
      if (repo.isBlank() || repo.startsWith("file://") || repo.startsWith("@") || repo.startsWith("alias:")) {
        repo = c.repository();
      }
      try {
        deps.add(new ChartCoordinates(repo, d.path("name").asText(), d.path("version").asText("*")));
      } catch (CnaiException unreadable) {
        // a dependency cnai cannot name (odd repository, no name) is left out, not fatal to the chart
      }
    }
    return deps;
  }

  @Override
  public void download(ResolvedChart chart, Path target) {
    ChartCoordinates c = chart.coordinates();
    Reference ref = reference(c);
    URI uri = chart.downloadUrl();
    try {
      HttpResponse<InputStream> response = send(c, ref, uri, "application/octet-stream", HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw CnaiException.failure(
              "chart " + c.describe() + ": the registry answered HTTP " + response.statusCode() + " for the chart blob " + uri,
              "try again later; if it persists the registry lost the blob");
        }
        Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw HttpChartRepositoryClient.unreachable(c.repository(), uri, e);
    }
  }

  private HttpResponse<byte[]> get(ChartCoordinates c, Reference ref, URI uri, String accept) {
    return send(c, ref, uri, accept, HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * GET with redirects and the anonymous bearer-token dance. Tokens are kept per host (a registry
   * may redirect to another one, which asks for its own token) and sent only to the host they came
   * for, never to a storage URL a blob redirects to.
   */
  private <T> HttpResponse<T> send(
      ChartCoordinates c, Reference ref, URI uri, String accept, HttpResponse.BodyHandler<T> handler) {
    try {
      java.util.Set<String> challenged = new java.util.HashSet<>();
      URI current = uri;
      for (int hop = 0; hop <= MAX_REDIRECTS; ) {
        String key = current.getAuthority() + " " + ref.name();
        HttpRequest.Builder b = HttpRequest.newBuilder(current).timeout(timeout).GET().header("Accept", accept);
        String token = tokens.get(key);
        if (token != null) {
          b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<T> response = http.send(b.build(), handler);
        int status = response.statusCode();
        if (status == 401 && challenged.add(current.getAuthority())) {
          Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
          closeQuietly(response);
          tokens.put(key, anonymousToken(c, ref, challenge.orElse("")));
          continue;
        }
        if (status == 401 || status == 403) {
          closeQuietly(response);
          throw CnaiException.failure(
              "chart " + c.describe() + ": the registry refused anonymous access (HTTP " + status + ") to " + current,
              "cnai pulls public charts anonymously; check the location, or mirror the chart into a public registry");
        }
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
          String location = response.headers().firstValue("Location").orElse(null);
          closeQuietly(response);
          if (location == null) {
            throw CnaiException.failure("registry redirect without Location for " + current, null);
          }
          current = current.resolve(location);
          hop++;
          continue;
        }
        return response;
      }
      throw CnaiException.failure(
          "chart " + c.describe() + ": more than " + MAX_REDIRECTS + " redirects from " + uri, "check the registry");
    } catch (IOException e) {
      throw HttpChartRepositoryClient.unreachable(c.repository(), uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while talking to " + uri, null, e);
    }
  }

  private String anonymousToken(ChartCoordinates c, Reference ref, String challenge) throws IOException, InterruptedException {
    if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw CnaiException.failure(
          "chart " + c.describe() + ": the registry asks for credentials ('" + challenge + "')",
          "cnai pulls public charts anonymously; use a registry that allows anonymous pulls");
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = AUTH_PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw CnaiException.failure("chart " + c.describe() + ": the registry's token challenge names no realm: " + challenge, null);
    }
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (params.containsKey("service")) {
      q.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
    }
    String scope = params.getOrDefault("scope", "repository:" + ref.name() + ":pull");
    q.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    URI tokenUri = URI.create(q.toString());
    HttpResponse<byte[]> response = http.send(
        HttpRequest.newBuilder(tokenUri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw CnaiException.failure(
          "chart " + c.describe() + ": the token service " + realm + " answered HTTP " + response.statusCode(),
          "the registry does not allow anonymous pulls of " + ref.name());
    }
    JsonNode body = readJson(c, tokenUri, response.body());
    String token = body.path("token").asText(body.path("access_token").asText(""));
    if (token.isEmpty()) {
      throw CnaiException.failure("chart " + c.describe() + ": the token service " + realm + " gave no token", null);
    }
    return token;
  }

  private void requireOk(ChartCoordinates c, URI uri, HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      throw CnaiException.failure(
          "chart " + c.describe() + ": the registry answered HTTP " + response.statusCode() + " for " + uri,
          "try again later, or check the OCI location");
    }
  }

  private JsonNode readJson(ChartCoordinates c, URI uri, byte[] body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw CnaiException.failure("chart " + c.describe() + ": " + uri + " did not answer JSON: " + e.getMessage(), null, e);
    }
  }

  private static void closeQuietly(HttpResponse<?> response) {
    if (response.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
