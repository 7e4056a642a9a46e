package io.cnai.installer.charts;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The CNCF distribution registry, built by {@code installer/tools/build-registry.sh}, running on a
 * free loopback port with its storage in a temporary folder. Charts are pushed with helm-java
 * ({@code helm push}, plain HTTP). When the binary is missing the calling test is skipped (a JUnit
 * assumption), never passed.
 *
 * <pre>
 * try (LocalOciRegistry registry = LocalOciRegistry.start()) {
 *   String repo = registry.push(archive, "charts");   // oci://127.0.0.1:PORT/charts
 * }
 * </pre>
 */
public final class LocalOciRegistry implements AutoCloseable {
  public static final String VERSION = "v3.1.1";
  public static final String MISSING =
      "not run: registry binary missing; run installer/tools/build-registry.sh";

  private final Process process;
  private final Path dir;
  private final int port;
  private final String address;

  private LocalOciRegistry(Process process, Path dir, int port, String address) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.address = address;
  }

  /** {@code ${CNAI_TOOLS:-~/.cache/cnai/tools}/registry/<version>/registry}. */
  public static Path binary() {
    String tools = System.getenv("CNAI_TOOLS");
    Path base = tools != null && !tools.isBlank()
        ? Path.of(tools)
        : Path.of(System.getProperty("user.home"), ".cache", "cnai", "tools");
    return base.resolve("registry").resolve(VERSION).resolve("registry");
  }

  public static boolean available() {
    return Files.isExecutable(binary());
  }

  /** Starts a registry on 127.0.0.1, or skips the calling test when the binary is missing. */
  public static LocalOciRegistry start() {
    return start("127.0.0.1");
  }

  /**
   * Starts a registry listening on {@code address} (an address of this machine; a node's network
   * namespace reaches the machine's own non-loopback addresses, not 127.0.0.1).
   */
  public static LocalOciRegistry start(String address) {
    assumeTrue(available(), MISSING);
    try {
      Path dir = Files.createTempDirectory("cnai-oci-registry-");
      int port;
      try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getByName(address))) {
        port = s.getLocalPort();
      }
      Path config = dir.resolve("config.yml");
      Files.writeString(config, String.join("\n",
          "version: 0.1",
          "log:",
          "  level: error",
          "  accesslog:",
          "    disabled: true",
          "storage:",
          "  filesystem:",
          "    rootdirectory: " + dir.resolve("storage"),
          "  delete:",
          "    enabled: true",
          "http:",
          "  addr: " + address + ":" + port,
          ""));
      Process p = new ProcessBuilder(binary().toString(), "serve", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("registry.log").toFile())
          .start();
      LocalOciRegistry registry = new LocalOciRegistry(p, dir, port, address);
      registry.awaitReady();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("registry exited: " + log());
      }
      try {
        HttpResponse<Void> r = http.send(
            HttpRequest.newBuilder(URI.create("http://" + address + ":" + port + "/v2/")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException("registry did not answer on port " + port + " within 30 s: " + log());
  }

  public int port() {
    return port;
  }

  /** {@code <address>:<port>} (127.0.0.1 unless started on another address). */
  public String host() {
    return address + ":" + port;
  }

  /** Pushes a chart archive under {@code oci://127.0.0.1:<port>/<path>} and returns that location. */
  public String push(Path archive, String path) {
    String repository = "oci://" + host() + "/" + path;
    Helm.push().withChart(archive).withRemote(URI.create(repository)).plainHttp().call();
    return repository;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("registry.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TestFiles.deleteTree(dir);
  }
}
