package io.cnai.installer.charts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP chart repository on 127.0.0.1 for tests: serves a generated {@code index.yaml} (with
 * the sha256 digests of the archives) at {@code <url>/index.yaml} and the archives at {@code
 * <url>/charts/<name>-<version>.tgz} (listed in the index by relative URL, as {@code helm repo
 * index} does). It can also misbehave on purpose: serve other bytes than the index says ({@link
 * #tamper}) or republish a version with new content ({@link #republish}).
 *
 * <pre>
 * try (LocalChartRepository repo = LocalChartRepository.start()) {
 *   Published p = repo.publishFixture("certs");
 *   ChartCoordinates c = p.coordinates();   // http://127.0.0.1:PORT/stable, certs, 1.4.0
 * }
 * </pre>
 */
public final class LocalChartRepository implements AutoCloseable {
  /** One chart version in the repository. */
  public record Published(ChartCoordinates coordinates, String digest, Path archive) {}

  private record Entry(String name, String version, String indexDigest, byte[] served, String chartYaml) {}

  private final HttpServer server;
  private final Path dir;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean down;

  private LocalChartRepository(HttpServer server, Path dir) {
    this.server = server;
    this.dir = dir;
  }

  public static LocalChartRepository start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LocalChartRepository repo = new LocalChartRepository(server, Files.createTempDirectory("cnai-chart-repo-"));
      server.createContext("/", repo::handle);
      server.start();
      return repo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository URL, e.g. {@code http://127.0.0.1:40123/stable}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/stable";
  }

  public ChartCoordinates coordinates(String chart, String version) {
    return new ChartCoordinates(url(), chart, version);
  }

  /** Packages fixture chart {@code name} and publishes it. */
  public Published publishFixture(String name) {
    return publish(TestCharts.packageChart(name, dir.resolve("packaged")));
  }

  /** Publishes a chart archive under the name and version of its Chart.yaml. */
  public synchronized Published publish(Path archive) {
    try {
      String[] nv = TestCharts.nameAndVersion(archive);
      byte[] bytes = Files.readAllBytes(archive);
      String digest = Digests.of(bytes);
      entries.put(nv[0] + "-" + nv[1], new Entry(nv[0], nv[1], digest, bytes, TestCharts.chartYaml(archive)));
      return new Published(coordinates(nv[0], nv[1]), digest, archive);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** From now on serves {@code bytes} for the chart while the index keeps the old digest. */
  public synchronized void tamper(String name, String version, byte[] bytes) {
    Entry e = entries.get(name + "-" + version);
    entries.put(name + "-" + version, new Entry(name, version, e.indexDigest(), bytes, e.chartYaml()));
  }

  /** Republishes the same version with other content: new bytes and a new digest in the index. */
  public synchronized String republish(String name, String version, byte[] bytes) {
    String digest = Digests.of(bytes);
    Entry e = entries.get(name + "-" + version);
    entries.put(name + "-" + version, new Entry(name, version, digest, bytes, e == null ? "" : e.chartYaml()));
    return digest;
  }

  /** Answers every request with 503 while down. */
  public void down(boolean isDown) {
    this.down = isDown;
  }

  /** How many HTTP requests the repository has answered. */
  public int requests() {
    return requests.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (down) {
        send(ex, 503, "text/plain", "down".getBytes());
        return;
      }
      if (path.equals("/stable/index.yaml")) {
        send(ex, 200, "application/x-yaml", index());
        return;
      }
      if (path.startsWith("/stable/charts/") && path.endsWith(".tgz")) {
        String key = path.substring("/stable/charts/".length(), path.length() - ".tgz".length());
        Entry e;
        synchronized (this) {
          e = entries.get(key);
        }
        if (e != null) {
          send(ex, 200, "application/gzip", e.served());
          return;
        }
      }
      send(ex, 404, "text/plain", "not found".getBytes());
    }
  }

  private synchronized byte[] index() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = yaml.createObjectNode();
    root.put("apiVersion", "v1");
    ObjectNode all = root.putObject("entries");
    Map<String, List<Entry>> byName = new LinkedHashMap<>();
    for (Entry e : entries.values()) {
      byName.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(0, e);
    }
    for (Map.Entry<String, List<Entry>> n : byName.entrySet()) {
      ArrayNode versions = all.putArray(n.getKey());
      for (Entry e : n.getValue()) {
        ObjectNode v = versions.addObject();
        v.put("apiVersion", "v2");
        v.put("name", e.name());
        v.put("version", e.version());
        v.put("digest", e.indexDigest().substring("sha256:".length()));
        v.putArray("urls").add("charts/" + e.name() + "-" + e.version() + ".tgz");
        v.put("created", "2026-01-01T00:00:00Z");
        com.fasterxml.jackson.databind.JsonNode meta = yaml.readTree(e.chartYaml());
        if (meta != null && meta.has("dependencies")) {
          v.set("dependencies", meta.get("dependencies"));
        }
      }
    }
    root.put("generated", "2026-01-01T00:00:00Z");
    return yaml.writeValueAsBytes(root);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    io.cnai.installer.charts.TestFiles.deleteTree(dir);
  }
}
