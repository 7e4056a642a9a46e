package io.cnai.installer.images;

import com.fasterxml.jackson.databind.JsonNode;
import io.cnai.core.CnaiException;
import io.cnai.installer.json.Mappers;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCI registry, read through the registry HTTP API v2 (distribution spec): its repositories
 * ({@code /v2/_catalog}), their tags ({@code /v2/NAME/tags/list}) and manifests. No credentials:
 * cnai's registries are the local one and air-gapped mirrors on a trusted network.
 *
 * @param host {@code host[:port]}
 * @param plainHttp true for {@code http://}, false for {@code https://}
 */
public record Registry(String host, boolean plainHttp) {
  private static final Pattern SPEC = Pattern.compile("(?:(https?)://)?([A-Za-z0-9.-]+(?::[0-9]{1,5})?)/?");
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"?next\"?");
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** {@code http://HOST:PORT} (plain HTTP), {@code https://HOST[:PORT]} or {@code HOST[:PORT]} (HTTPS). */
  public static Registry parse(String spec) {
    Matcher m = SPEC.matcher(spec == null ? "" : spec.strip());
    if (!m.matches()) {
      throw CnaiException.badInput("invalid registry '" + spec + "'",
          "write HOST[:PORT] for HTTPS or http://HOST:PORT for plain HTTP, e.g. http://127.0.0.1:5000");
    }
    return new Registry(m.group(2), "http".equals(m.group(1)));
  }

  public URI base() {
    return URI.create((plainHttp ? "http://" : "https://") + host);
  }

  @Override
  public String toString() {
    return base().toString();
  }

  /** Every repository of the registry, sorted (follows the catalog's pages). */
  public List<String> repositories() {
    List<String> out = new ArrayList<>();
    String next = "/v2/_catalog?n=1000";
    while (next != null) {
      HttpResponse<String> r = get(next, "application/json");
      for (JsonNode n : json(r, next).path("repositories")) {
        out.add(n.asText());
      }
      next = r.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find).map(x -> x.group(1)).orElse(null);
    }
    out.sort(null);
    return out;
  }

  /** The tags of {@code repository}, sorted; empty when it has none or does not exist. */
  public List<String> tags(String repository) {
    String path = "/v2/" + repository + "/tags/list";
    HttpResponse<String> r = get(path, "application/json");
    if (r.statusCode() == 404) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : json(r, path).path("tags")) {
      out.add(n.asText());
    }
    out.sort(null);
    return out;
  }

  /** The manifest of {@code repository:reference} (tag or digest), as JSON. */
  public JsonNode manifest(String repository, String reference) {
    String path = "/v2/" + repository + "/manifests/" + URLEncoder.encode(reference, StandardCharsets.UTF_8);
    return json(get(path, "application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json,"
        + "application/vnd.oci.image.index.v1+json"), path);
  }

  /** Fails (exit 1, with what to do) unless {@code /v2/} answers 200 or 401. */
  public void check() {
    int s = get("/v2/", "application/json").statusCode();
    if (s != 200 && s != 401) {
      throw CnaiException.failure("registry " + base() + " answered " + s + " to GET /v2/: it is not an OCI registry",
          "check the address and port");
    }
  }

  /** True when {@code /v2/} answers (200, or 401: it is there, it wants credentials). */
  public boolean answers() {
    try {
      int s = get("/v2/", "application/json").statusCode();
      return s == 200 || s == 401;
    } catch (CnaiException e) {
      return false;
    }
  }

  private HttpResponse<String> get(String path, String accept) {
    URI uri = base().resolve(path);
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", accept).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw CnaiException.failure("cannot reach registry " + base() + " (" + uri + "): " + describe(e),
          plainHttp
              ? "start the registry or check its address; `cnai cluster create --provider local --local-registry` starts one"
              : "check the address; a registry without TLS is written http://HOST:PORT", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while reading " + uri, null, e);
    }
  }

  private JsonNode json(HttpResponse<String> r, String path) {
    if (r.statusCode() != 200) {
      throw CnaiException.failure("registry " + base() + " answered " + r.statusCode() + " to GET " + path + ": "
              + r.body().substring(0, Math.min(300, r.body().length())).strip(),
          r.statusCode() == 401 ? "this registry wants credentials; cnai reads registries without them" : "check the registry's log");
    }
    try {
      return Mappers.JSON.readTree(r.body());
    } catch (IOException e) {
      throw CnaiException.failure("registry " + base() + " answered GET " + path + " with something that is not JSON", null, e);
    }
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    if (e.getCause() != null && e.getCause() != e && e.getCause().getMessage() != null) {
      m += " (" + e.getCause().getMessage() + ")";
    }
    return m;
  }
}
