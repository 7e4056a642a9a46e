package io.cnai.installer.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charts pushed with helm into a real CNCF distribution registry on loopback, pulled through the OCI API. */
class OciChartCacheTest {
  static LocalOciRegistry registry;
  static Path packaged;
  static Path ocisub;
  static Path parent;
  static String repository;

  @TempDir Path cacheRoot;

  @BeforeAll
  static void startRegistry() throws IOException {
    if (!LocalOciRegistry.available()) {
      return; // each test reports "not run" with the reason
    }
    registry = LocalOciRegistry.start();
    packaged = Files.createTempDirectory("cnai-oci-test-");
    ocisub = TestCharts.packageChart("ocisub", packaged);
    parent = TestCharts.packageChart("parent", packaged);
    repository = registry.push(ocisub, "charts");
    registry.push(parent, "charts");
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
    TestFiles.deleteTree(packaged);
  }

  @BeforeEach
  void needsRegistry() {
    assumeTrue(registry != null, LocalOciRegistry.MISSING);
  }

  @Test
  void digestIsTheSha256OfTheChartArchiveAsPushed() throws IOException {
    ResolvedChart r = new OciChartRepositoryClient().resolve(new ChartCoordinates(repository, "ocisub", "0.5.0"));

    assertThat(r.digest()).isEqualTo(Digests.of(Files.readAllBytes(ocisub)));
    assertThat(r.downloadUrl().toString())
        .isEqualTo("http://" + registry.host() + "/v2/charts/ocisub/blobs/" + r.digest());
  }

  @Test
  void dependenciesComeFromTheChartConfig() {
    ResolvedChart r = new OciChartRepositoryClient().resolve(new ChartCoordinates(repository, "parent", "2.3.0"));

    assertThat(r.dependencies()).extracting(ChartCoordinates::chart).containsExactly("commonlib", "bundled", "httpsub", "ocisub");
    assertThat(r.dependencies().get(3).repository()).isEqualTo("oci://127.0.0.1:1/charts");
  }

  @Test
  void versionsAreTheTagsWithUnderscoreReadAsPlus() {
    Path dir = TestCharts.copy("ocisub", cacheRoot.resolve("v"));
    for (String v : new String[] {"0.5.1+build.7", "0.4.2"}) {
      TestCharts.withVersion(dir, v);
      registry.push(TestCharts.packageDir(dir, cacheRoot.resolve("v/out-" + v)), "charts");
    }
    List<String> versions = ChartRepositories.standard().versions(repository, "ocisub");

    assertThat(versions).containsExactly("0.5.1+build.7", "0.5.0", "0.4.2");
    ChartCoordinates plus = new ChartCoordinates(repository, "ocisub", "0.5.1+build.7");
    assertThat(new OciChartRepositoryClient().resolve(plus).digest()).startsWith("sha256:");
  }

  @Test
  void fetchVerifiesAndThenWorksOffline() {
    ChartCoordinates c = new ChartCoordinates(repository, "ocisub", "0.5.0");
    FetchedChart f = new ChartCache(cacheRoot, ChartRepositories.standard()).fetch(c, null);
    assertThat(Digests.of(f.archive())).isEqualTo(f.digest());

    ChartCache offline = new ChartCache(cacheRoot, new ChartRepositories(null, null));
    assertThat(offline.fetch(c, f.digest()).archive()).isEqualTo(f.archive());
  }

  @Test
  void wrongLockedDigestIsRefused() {
    ChartCoordinates c = new ChartCoordinates(repository, "ocisub", "0.5.0");
    String wrong = "sha256:" + "0".repeat(64);

    assertThatThrownBy(() -> new ChartCache(cacheRoot, ChartRepositories.standard()).fetch(c, wrong))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION);
          assertThat(e.getMessage()).contains("ocisub 0.5.0 from " + repository).contains(wrong).contains("sha256:");
        });
  }

  @Test
  void missingTagIsBadInput() {
    assertThatThrownBy(() -> new OciChartRepositoryClient().resolve(new ChartCoordinates(repository, "ocisub", "9.9.9")))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.getMessage()).contains("oci://" + registry.host() + "/charts/ocisub:9.9.9");
        });
  }

  @Test
  void anonymousBearerTokenChallengeIsAnswered() throws IOException {
    try (TokenGate gate = new TokenGate(registry.port())) {
      ChartCoordinates c = new ChartCoordinates("oci://" + gate.host() + "/charts", "ocisub", "0.5.0");
      FetchedChart f = new ChartCache(cacheRoot, ChartRepositories.standard()).fetch(c, null);

      assertThat(f.digest()).isEqualTo(Digests.of(Files.readAllBytes(ocisub)));
      assertThat(gate.tokenRequests).hasSize(1);
      assertThat(gate.tokenRequests.get(0)).contains("service=cnai-test").contains("scope=repository%3Acharts%2Focisub%3Apull");
    }
  }

  @Test
  void redirectToAnotherRegistryHostGetsThatHostsOwnToken() throws IOException {
    // as a registry that redirects every request to its backing registry, which asks for its own token
    try (TokenGate backend = new TokenGate(registry.port());
        RedirectGate front = new RedirectGate(backend.host())) {
      ChartCoordinates c = new ChartCoordinates("oci://" + front.host() + "/charts", "ocisub", "0.5.0");
      FetchedChart f = new ChartCache(cacheRoot, ChartRepositories.standard()).fetch(c, null);

      assertThat(f.digest()).isEqualTo(Digests.of(Files.readAllBytes(ocisub)));
      assertThat(backend.tokenRequests).hasSize(1);
      assertThat(front.redirects.get()).isGreaterThanOrEqualTo(2); // manifest and blob
    }
  }

  /** Answers every request with a 307 to the same path on another host. */
  static final class RedirectGate implements AutoCloseable {
    final HttpServer server;
    final java.util.concurrent.atomic.AtomicInteger redirects = new java.util.concurrent.atomic.AtomicInteger();

    RedirectGate(String target) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", ex -> {
        try (ex) {
          redirects.incrementAndGet();
          ex.getResponseHeaders().set("Location", "http://" + target + ex.getRequestURI());
          ex.sendResponseHeaders(307, -1);
        }
      });
      server.start();
    }

    String host() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * A front for the registry that demands a bearer token, as public registries do for anonymous
   * pulls: 401 with {@code WWW-Authenticate: Bearer realm=…}, a token endpoint, then forwarding.
   */
  static final class TokenGate implements AutoCloseable {
    final HttpServer server;
    final int upstream;
    final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    TokenGate(int upstream) throws IOException {
      this.upstream = upstream;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::handle);
      server.start();
    }

    String host() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    void handle(HttpExchange ex) throws IOException {
      try (ex) {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/token")) {
          tokenRequests.add(ex.getRequestURI().getRawQuery());
          send(ex, 200, "{\"token\":\"anon-123\"}".getBytes(), "application/json");
          return;
        }
        if (!"Bearer anon-123".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
          ex.getResponseHeaders().set("WWW-Authenticate",
              "Bearer realm=\"http://" + host() + "/token\",service=\"cnai-test\",scope=\"repository:charts/ocisub:pull\"");
          send(ex, 401, "{}".getBytes(), "application/json");
          return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream + ex.getRequestURI()));
        String accept = ex.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
          b.header("Accept", accept);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        send(ex, r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse("application/octet-stream"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    static void send(HttpExchange ex, int status, byte[] body, String type) throws IOException {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
