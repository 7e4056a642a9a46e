package io.cnai.conformance.template;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the checklist template a run answers: a file or URL given with {@code --template}, else the
 * program's published template for a Kubernetes minor version, fetched over HTTPS from
 * {@code <baseUrl>AIConformance-1.NN.yaml} and cached under {@code cacheDir}. Published templates
 * are frozen at the Kubernetes release freeze, so a cached one is used without asking the network
 * again; a template given by URL is fetched every time and its cached copy used only when the URL
 * cannot be reached.
 */
public final class Templates {
  /** Where the program publishes its templates (the docs folder of cncf/k8s-ai-conformance, branch main). */
  public static final String PROGRAM_BASE_URL = "https://raw.githubusercontent.com/cncf/k8s-ai-conformance/main/docs/";
  static final Pattern MINOR = Pattern.compile("v?(1\\.\\d{1,3})");
  static final int MAX_BYTES = 4 * 1024 * 1024;

  private final Path cacheDir;
  private final String baseUrl;
  private final HttpClient http;
  private final Duration timeout;

  public Templates(Path cacheDir, String baseUrl, HttpClient http, Duration timeout) {
    this.cacheDir = cacheDir;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    this.http = http;
    this.timeout = timeout;
  }

  /** The program's templates, cached in {@code ~/.cache/cnai/conformance-templates}. */
  public static Templates defaults() {
    return new Templates(Path.of(System.getProperty("user.home"), ".cache", "cnai", "conformance-templates"),
        PROGRAM_BASE_URL,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build(),
        Duration.ofSeconds(30));
  }

  public Path cacheDir() {
    return cacheDir;
  }

  /**
   * The template to answer.
   *
   * @param ref {@code --template}: a file or an http(s) URL; null: the program's published template
   * @param version {@code --template-version} ("v1.36" or "1.36"); null: {@code clusterMinor}
   * @param clusterMinor the cluster's Kubernetes minor version ("1.37"); null when not known
   */
  public Template resolve(String ref, String version, String clusterMinor) {
    String wanted = version == null ? null : minor(version, "--template-version");
    Template t;
    if (ref == null || ref.isBlank()) {
      String v = wanted != null ? wanted : clusterMinor;
      if (v == null) {
        throw CnaiException.badInput("no checklist version to fetch the template for",
            "pass --template-version v1.NN or --template FILE|URL");
      }
      t = published(minor(v, "the cluster's version"));
    } else if (ref.startsWith("https://") || ref.startsWith("http://")) {
      t = byUrl(ref);
    } else {
      t = file(Path.of(ref));
    }
    if (wanted != null && !wanted.equals(t.version())) {
      throw CnaiException.badInput("--template-version v" + wanted + " does not match the template " + t.source()
          + ", which is the checklist for v" + t.version(),
          "drop --template-version (the template's own version is used) or pass the template of v" + wanted);
    }
    return t;
  }

  /**
   * The bytes {@code t} was read from, for handing it on unchanged (the in-cluster run): the file
   * given with {@code ref}, or the cached copy of the URL or of the published template; checked
   * against the template's SHA-256. Empty when no such copy is left (e.g. the cache is not writable).
   */
  public java.util.Optional<byte[]> bytes(String ref, Template t) {
    Path p;
    if (ref == null || ref.isBlank()) {
      p = cacheDir.resolve("AIConformance-" + t.version() + ".yaml");
    } else if (ref.startsWith("https://") || ref.startsWith("http://")) {
      p = cacheDir.resolve("url-" + TemplateParser.sha256(ref.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16) + ".yaml");
    } else {
      p = Path.of(ref);
    }
    try {
      byte[] b = Files.readAllBytes(p);
      return TemplateParser.sha256(b).equals(t.sha256()) ? java.util.Optional.of(b) : java.util.Optional.empty();
    } catch (java.io.IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** The program's template of one minor version ("1.36"): the cache, else the network. */
  public Template published(String minor) {
    String name = "AIConformance-" + minor + ".yaml";
    String url = baseUrl + name;
    Path cached = cacheDir.resolve(name);
    if (Files.isRegularFile(cached)) {
      return fromCache(cached, url);
    }
    byte[] body = fetch(url, minor);
    Template t = TemplateParser.parse(url, body);
    store(cached, body);
    return t;
  }

  private Template byUrl(String url) {
    Path cached = cacheDir.resolve("url-" + TemplateParser.sha256(url.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .substring(0, 16) + ".yaml");
    byte[] body;
    try {
      body = fetch(url, null);
    } catch (CnaiException e) {
      if (Files.isRegularFile(cached) && e.kind() == io.cnai.core.ErrorKind.FAILURE) {
        return fromCache(cached, url);
      }
      throw e;
    }
    Template t = TemplateParser.parse(url, body);
    store(cached, body);
    return t;
  }

  private static Template file(Path p) {
    if (!Files.isRegularFile(p)) {
      throw CnaiException.badInput("template " + p + " does not exist or is not a file",
          "pass --template with the path of a checklist template (docs/AIConformance-1.NN.yaml of cncf/k8s-ai-conformance) or its URL");
    }
    try {
      return TemplateParser.parse(p.toString(), Files.readAllBytes(p));
    } catch (IOException e) {
      throw CnaiException.badInput("template " + p + " cannot be read: " + e.getMessage(), "check its permissions");
    }
  }

  private static Template fromCache(Path cached, String url) {
    try {
      Template t = TemplateParser.parse(cached.toString(), Files.readAllBytes(cached));
      return new Template(t.version(), url + " (cached: " + cached + ")", t.sha256(), t.metadata(), t.requirements());
    } catch (IOException | CnaiException e) {
      throw CnaiException.failure("the cached template " + cached + " cannot be used: " + e.getMessage(),
          "delete it; the next run fetches " + url + " again");
    }
  }

  private byte[] fetch(String url, String minor) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw CnaiException.badInput("--template " + url + " is not a valid URL: " + e.getMessage(), "pass a file or an https URL");
    }
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "cnai-conformance").GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw CnaiException.failure("cannot fetch the AI Conformance checklist template " + url + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + " (offline?)",
          "pass --template FILE with a copy of the program's template (docs/AIConformance-1.NN.yaml of "
              + "cncf/k8s-ai-conformance), or --template URL of a reachable copy; fetched templates are cached in "
              + cacheDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while fetching " + url, "run again");
    }
    if (resp.statusCode() == 404 && minor != null) {
      throw CnaiException.badInput("the AI Conformance program publishes no checklist template for Kubernetes v" + minor
              + " (HTTP 404 from " + url + ")",
          "pass --template-version with a published version (e.g. the one before: v" + previous(minor)
              + "), or --template FILE|URL");
    }
    if (resp.statusCode() != 200) {
      throw CnaiException.failure("fetching the checklist template " + url + " answered HTTP " + resp.statusCode(),
          "check the URL, or pass --template FILE with a copy of the program's template");
    }
    if (resp.body().length > MAX_BYTES) {
      throw CnaiException.badInput(url + " is larger than 4 MiB: not a checklist template", "check the --template URL");
    }
    return resp.body();
  }

  private static void store(Path cached, byte[] body) {
    try {
      Files.createDirectories(cached.getParent());
      Path tmp = Files.createTempFile(cached.getParent(), cached.getFileName().toString(), ".tmp");
      Files.write(tmp, body);
      try {
        Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (NoSuchFileException e) {
      // the cache is an optimisation: a folder that cannot be made costs one fetch next time
    } catch (IOException e) {
      // same
    }
  }

  /** "1.36" from "v1.36", "1.36" or "v1.36.2"; bad input otherwise. */
  public static String minor(String v, String what) {
    String s = v.strip();
    Matcher m = Pattern.compile("v?(1\\.\\d{1,3})(\\.\\d+)?").matcher(s);
    if (!m.matches()) {
      throw CnaiException.badInput(what + " '" + v + "' is not a Kubernetes minor version", "write it as v1.36");
    }
    return m.group(1);
  }

  static String previous(String minor) {
    int n = Integer.parseInt(minor.substring(minor.indexOf('.') + 1));
    return "1." + Math.max(0, n - 1);
  }
}
