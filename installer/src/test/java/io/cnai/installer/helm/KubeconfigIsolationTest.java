package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.charts.TestFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * helm-java builds a Kubernetes client from the default kubeconfig even to render. These tests run
 * the renderer in a child JVM with a chosen {@code KUBECONFIG}: a reachable "cluster" is never
 * contacted (lookup included), and a broken kubeconfig gives cnai's explanation.
 */
class KubeconfigIsolationTest {
  static Path work;
  static Path lookupChart;

  @BeforeAll
  static void setUp() throws IOException {
    work = Files.createTempDirectory("cnai-kubeconfig-");
    lookupChart = TestCharts.packageChart("lookup", work.resolve("charts"));
  }

  @AfterAll
  static void tearDown() {
    TestFiles.deleteTree(work);
  }

  @Test
  void aReachableClusterInTheKubeconfigIsNeverContacted() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer fakeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fakeApi.createContext("/", ex -> {
      requests.incrementAndGet();
      try (ex) {
        ex.sendResponseHeaders(500, -1);
      }
    });
    fakeApi.start();
    try {
      Path kubeconfig = kubeconfig("http://127.0.0.1:" + fakeApi.getAddress().getPort(), "test");

      assertThat(renderInChild(kubeconfig)).isEqualTo("OK 2");
      assertThat(requests.get()).as("requests to the cluster named by KUBECONFIG").isZero();
    } finally {
      fakeApi.stop(0);
    }
  }

  @Test
  void aKubeconfigWhoseContextIsGoneIsExplained() throws Exception {
    Path kubeconfig = kubeconfig("http://127.0.0.1:1", "deleted-cluster");

    assertThat(renderInChild(kubeconfig))
        .startsWith("ERR FAILURE cannot render chart lookup 0.3.0: helm-java reads the default kubeconfig even to render")
        .contains("deleted-cluster");
  }

  @Test
  void lookupReachedThroughTplIsExplained() throws Exception {
    // tpl on a value is the one way lookup escapes the rewrite: helm-java then calls the cluster,
    // here one that refuses connections
    Path dir = TestCharts.copy("lookup", work.resolve("tpl"));
    Files.writeString(dir.resolve("values.yaml"),
        "secretName: db-credentials\nexisting: '{{ (lookup \"v1\" \"Secret\" \"team-a\" \"x\").data }}'\n");
    Files.writeString(dir.resolve("templates/tpl.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tpl\ndata:\n  x: {{ tpl .Values.existing . | quote }}\n");
    Path archive = TestCharts.packageDir(dir, work.resolve("tpl-out"));

    assertThat(renderInChild(kubeconfig("http://127.0.0.1:1", "test"), archive))
        .startsWith("ERR FAILURE chart lookup 0.3.0 calls lookup from text it renders with tpl");
  }

  private static Path kubeconfig(String server, String currentContext) throws IOException {
    return Files.writeString(work.resolve("kubeconfig-" + currentContext + "-" + System.nanoTime()), String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: test",
        "  cluster: {server: \"" + server + "\"}",
        "users:",
        "- name: test",
        "  user: {token: t}",
        "contexts:",
        "- name: test",
        "  context: {cluster: test, user: test}",
        "current-context: " + currentContext,
        ""));
  }

  private static String renderInChild(Path kubeconfig) throws Exception {
    return renderInChild(kubeconfig, lookupChart);
  }

  private static String renderInChild(Path kubeconfig, Path archive) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        RenderMain.class.getName(), archive.toString());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Path out = work.resolve("child-" + System.nanoTime() + ".txt");
    Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    return output.lines().filter(l -> l.startsWith("OK ") || l.startsWith("ERR ")).findFirst().orElse(output);
  }
}
