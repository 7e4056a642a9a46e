package io.cnai.installer.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A server-side apply that got no answer, or "unavailable", is sent again (it is idempotent); a
 * refusal of the object is not, and says to fix the manifests. The endpoint here is a plain HTTP
 * server that answers the apply's PATCH with a status of the test's choosing: what is tested is the
 * client side's handling of those answers, not a cluster.
 */
class ApplierRetryTest {
  private static final String CONFIG_MAP = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c, namespace: default}
      data: {k: v}
      """;

  /** Core discovery: ConfigMaps, namespaced (the client asks before it applies one). */
  private static final String CORE_DISCOVERY = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"v1\",\"resources\":["
      + "{\"name\":\"configmaps\",\"singularName\":\"configmap\",\"namespaced\":true,\"kind\":\"ConfigMap\","
      + "\"verbs\":[\"get\",\"patch\"]}]}";

  /** Answers each PATCH with the next status of {@code statuses} (the last one repeats), echoing the body on 200. */
  private static HttpServer server(List<Integer> statuses, AtomicInteger patches, String failureMessage) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int status = 404;
      byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
      if ("GET".equals(ex.getRequestMethod()) && ex.getRequestURI().getPath().equals("/api/v1")) {
        // discovery: which core kinds are namespaced
        status = 200;
        out = CORE_DISCOVERY.getBytes(StandardCharsets.UTF_8);
      } else if ("PATCH".equals(ex.getRequestMethod())) {
        int n = patches.getAndIncrement();
        status = statuses.get(Math.min(n, statuses.size() - 1));
        out = status == 200 ? body : ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + failureMessage
            + "\",\"code\":" + status + "}").getBytes(StandardCharsets.UTF_8);
      }
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    s.start();
    return s;
  }

  private static KubernetesClient client(HttpServer s) {
    Config c = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + s.getAddress().getPort())
        .withRequestRetryBackoffLimit(0).withNamespace("default").build();
    return new KubernetesClientBuilder().withConfig(c).build();
  }

  @Test
  void anUnavailableServerIsAskedAgainUntilItApplies() throws Exception {
    AtomicInteger patches = new AtomicInteger();
    HttpServer s = server(List.of(503, 503, 200), patches, "the server is currently unable to handle the request");
    try (KubernetesClient client = client(s)) {
      ObjectRef ref = new Applier(client).apply(CONFIG_MAP, "default", Map.of(), Map.of());
      assertThat(ref.id()).contains("ConfigMap").contains("c");
      assertThat(patches.get()).isEqualTo(3);
    } finally {
      s.stop(0);
    }
  }

  @Test
  void anObjectRefusedIsNotSentAgainAndTheHintSaysToFixTheManifests() throws Exception {
    AtomicInteger patches = new AtomicInteger();
    HttpServer s = server(List.of(422), patches, "ConfigMap is invalid");
    try (KubernetesClient client = client(s)) {
      assertThatThrownBy(() -> new Applier(client).apply(CONFIG_MAP, "default", Map.of(), Map.of()))
          .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.hint()).contains("fix the manifests"));
      assertThat(patches.get()).isEqualTo(1);
    } finally {
      s.stop(0);
    }
  }

  @Test
  void aServerThatNeverRecoversFailsWithAHintToRunAgainNotToFixTheManifests() throws Exception {
    AtomicInteger patches = new AtomicInteger();
    HttpServer s = server(List.of(504), patches, "Timeout: request did not complete within requested timeout");
    try (KubernetesClient client = client(s)) {
      assertThatThrownBy(() -> new Applier(client).apply(CONFIG_MAP, "default", Map.of(), Map.of()))
          .isInstanceOfSatisfying(CnaiException.class, e -> {
            assertThat(e.problem()).contains("failed " + Applier.APPLY_ATTEMPTS + " times");
            assertThat(e.hint()).contains("run the same command again").doesNotContain("fix the manifests");
          });
      assertThat(patches.get()).isEqualTo(Applier.APPLY_ATTEMPTS);
    } finally {
      s.stop(0);
    }
  }

  /**
   * A request the client gave up on (its request timeout: fabric8's default is 10 s) got no answer:
   * it is sent again like any other. Seen on a loaded machine: an upgrade re-applying KubeRay's
   * 450 KiB CRDs failed at once with "the API server refused the object".
   */
  @Test
  void aRequestTheClientTimedOutIsSentAgain() throws Exception {
    AtomicInteger patches = new AtomicInteger();
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int status = 404;
      byte[] out = "{}".getBytes(StandardCharsets.UTF_8);
      if ("GET".equals(ex.getRequestMethod()) && ex.getRequestURI().getPath().equals("/api/v1")) {
        status = 200;
        out = CORE_DISCOVERY.getBytes(StandardCharsets.UTF_8);
      } else if ("PATCH".equals(ex.getRequestMethod())) {
        if (patches.getAndIncrement() == 0) {
          try {
            Thread.sleep(1500); // longer than the client waits
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        status = 200;
        out = body;
      }
      try {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
      } catch (IOException gone) {
        // the client stopped waiting
      }
      ex.close();
    });
    s.start();
    Config c = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + s.getAddress().getPort())
        .withRequestRetryBackoffLimit(0).withRequestTimeout(500).withNamespace("default").build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(c).build()) {
      ObjectRef ref = new Applier(client).apply(CONFIG_MAP, "default", Map.of(), Map.of());
      assertThat(ref.id()).contains("ConfigMap");
      assertThat(patches.get()).isEqualTo(2);
    } finally {
      s.stop(0);
    }
  }

  @Test
  void whatCountsAsTransient() {
    List<Boolean> got = new ArrayList<>();
    for (int code : new int[] {0, 429, 500, 503, 504, 400, 403, 404, 409, 422}) {
      got.add(Applier.isTransient(new KubernetesClientException("x", code, null)));
    }
    assertThat(got).containsExactly(true, true, true, true, true, false, false, false, false, false);
    assertThat(Applier.isTransient(new KubernetesClientException(
        "Internal error occurred: failed calling webhook \"mpod.admission.cnai.test\"", 500, null))).isFalse();
  }
}
