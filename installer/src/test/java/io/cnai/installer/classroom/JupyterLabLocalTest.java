package io.cnai.installer.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cnai.installer.TestPaths;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeRegistries;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.sim.LocalProvider;
import io.cnai.installer.cluster.sim.NodeBinaries;
import io.cnai.installer.cluster.sim.SimBinaries;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.images.BuiltImage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real JupyterLab servers: a local cluster with a real node and its own registry, the JupyterLab
 * image staged by {@code education/jupyterlab/stage.sh} and pushed by cnai, {@code cnai classroom
 * create --students 3}; every server becomes Ready and answers the host (which routes the pods'
 * range) with its own token and refuses a wrong one; a kernel of s01 runs the digits lesson's cell
 * over the kernel websocket, then the first cells of that lesson's notebook from s01's lessons
 * folder, the notebook with its output is saved through the contents API. Then headless Chromium,
 * driven through WebDriver ({@link LabBrowser}), opens s01's JupyterLab with the token on that
 * notebook, runs its cell with Shift + Enter, types a new cell and runs it, and runs the lesson
 * notebook's first cells, reading each output back from the DOM (DOM and screenshots kept in
 * {@code installer/target/classroom-browser/}). Not run, with the reason, without root, the node or
 * registry binaries, the OS packages or a Python 3.11; Chromium or chromedriver missing skips only
 * the browser part, with the reason.
 */
@Tag("sim")
@Tag("nodes")
@Tag("browser")
class JupyterLabLocalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STUDENTS = List.of("s01", "s02", "s03");
  static final String CELL = String.join("\n",
      "from sklearn.datasets import load_digits",
      "from sklearn.linear_model import LogisticRegression",
      "digits = load_digits()",
      "model = LogisticRegression(max_iter=300).fit(digits.data[:1000], digits.target[:1000])",
      "print('score', round(model.score(digits.data[1500:], digits.target[1500:]), 2), 'and', 1 + 1)");

  @Test
  void threeStudentsGetRealServersThatAnswerOnlyTheirToken() throws Exception {
    Path home = Files.createTempDirectory("cnai-jupyter");
    NodeBinaries binaries = NodeBinaries.fromEnvironment();
    LocalProvider provider = new LocalProvider(home, SimBinaries.fromEnvironment(), binaries, Clock.systemUTC());
    List<String> missing = new ArrayList<>(provider.missing());
    if (!Files.isExecutable(binaries.registry())) {
      missing.add(binaries.registry() + " (run installer/tools/build-registry.sh)");
    }
    String python = System.getenv().getOrDefault("PYTHON", "python3.11");
    if (!onPath(python)) {
      missing.add("a Python 3.11 (" + python + "; set PYTHON) for the JupyterLab image");
    }
    if (!missing.isEmpty()) {
      Files.delete(home);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "not run: real JupyterLab servers need " + missing);

    Path root = TestPaths.root();
    long i0 = System.nanoTime();
    Path imageFile = JupyterLabImage.stage(root, l -> System.out.println("[jupyter] " + l));
    long i1 = System.nanoTime();
    String name = "jl-" + ProcessHandle.current().pid();
    Throwable failure = null;
    try {
      long c0 = System.nanoTime();
      SimCluster cluster = provider.start(ClusterRequest.of(name, new NodeTopology(1, 0, 8, GpuProduct.of(GpuProduct.DEFAULT)))
          .withRegistries(new NodeRegistries(List.of(), true)));
      long c1 = System.nanoTime();
      BuiltImage pushed = JupyterLabImage.push(imageFile, provider.localRegistry(name).orElseThrow());
      long c2 = System.nanoTime();
      System.out.printf("[jupyter] image staged in %d ms; cluster in %d ms; pushed %s (%d MB compressed, %d layers) in %d ms%n",
          ms(i0, i1), ms(c0, c1), pushed.reference(), pushed.bytes() >> 20, pushed.layers(), ms(c1, c2));

      Path kubeconfig = cluster.cluster().kubeconfig();
      long r0 = System.nanoTime();
      Cli.Result created = Cli.run("classroom", "create", "--students", "3", "--fit", "servers",
          "--kubeconfig", kubeconfig.toString());
      assertThat(created.exit()).as(created.err()).isZero();
      try (KubernetesClient client = cluster.cluster().access().open()) {
        Map<String, Pod> pods = new LinkedHashMap<>();
        for (String s : STUDENTS) {
          String ns = "class-" + s;
          client.apps().deployments().inNamespace(ns).withName(Manifests.JUPYTER).waitUntilCondition(
              d -> d != null && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
              150, TimeUnit.SECONDS);
          pods.put(s, client.pods().inNamespace(ns).withLabel(Manifests.APP_LABEL, Manifests.JUPYTER).list().getItems().get(0));
        }
        long r1 = System.nanoTime();
        System.out.printf("[jupyter] classroom create -> 3 servers Ready in %d ms%n", ms(r0, r1));
        Cli.Result status = Cli.run("classroom", "status", "--kubeconfig", kubeconfig.toString());
        assertThat(status.exit()).as(status.out() + status.err()).isZero();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String s : STUDENTS) {
          tokens.put(s, token(client, "class-" + s));
        }
        for (String s : STUDENTS) {
          String base = base(pods.get(s), s);
          HttpResponse<String> ok = get(http, base + "api/contents", tokens.get(s));
          assertThat(ok.statusCode()).as("%s with its token: %s", s, ok.body()).isEqualTo(200);
          assertThat(ok.body()).contains("\"lessons\"").contains("\"work\"");
          assertThat(get(http, base + "api/contents", "0".repeat(48)).statusCode()).as("%s with a wrong token", s).isEqualTo(403);
          String other = tokens.get(STUDENTS.get((STUDENTS.indexOf(s) + 1) % STUDENTS.size()));
          assertThat(get(http, base + "api/contents", other).statusCode()).as("%s with another student's token", s).isEqualTo(403);
          assertThat(get(http, base + "api/contents", null).statusCode()).as("%s without a token", s).isEqualTo(403);
        }

        // s01 runs the lesson's cell in a kernel of their server, over the kernel websocket
        String s = "s01";
        String base = base(pods.get(s), s);
        String token = tokens.get(s);
        long k0 = System.nanoTime();
        HttpResponse<String> kernel = http.send(HttpRequest.newBuilder(URI.create(base + "api/kernels"))
            .header("Authorization", "token " + token).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"python3\"}"))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(kernel.statusCode()).as(kernel.body()).isEqualTo(201);
        String kernelId = JSON.readTree(kernel.body()).path("id").asText();
        String output = execute(http, base.replaceFirst("^http", "ws") + "api/kernels/" + kernelId + "/channels", token, CELL);
        long k1 = System.nanoTime();
        System.out.printf("[jupyter] kernel started and the digits cell ran in %d ms: %s%n", ms(k0, k1), output.strip());
        assertThat(output).contains("and 2");
        double score = Double.parseDouble(output.replaceAll("(?s).*score ([0-9.]+).*", "$1"));
        assertThat(score).as("the lesson's model reads digits").isGreaterThan(0.8);

        // the digits lesson as a notebook in s01's lessons folder: the server reads it as a notebook,
        // and its first three code cells run in order in the kernel (load, look at one, teach and test)
        HttpResponse<String> lesson = get(http, base + "api/contents/lessons/kids-day-02-digits.ipynb?content=1", token);
        assertThat(lesson.statusCode()).as(lesson.body()).isEqualTo(200);
        JsonNode lessonNb = JSON.readTree(lesson.body());
        assertThat(lessonNb.path("type").asText()).isEqualTo("notebook");
        List<String> lessonCode = new ArrayList<>();
        lessonNb.path("content").path("cells").forEach(c -> {
          if (c.path("cell_type").asText().equals("code")) {
            lessonCode.add(c.path("source").asText());
          }
        });
        String ws = base.replaceFirst("^http", "ws") + "api/kernels/" + kernelId + "/channels";
        assertThat(execute(http, ws, token, lessonCode.get(0))).contains("1797 pictures of digits");
        assertThat(execute(http, ws, token, lessonCode.get(1))).doesNotContain("Error");
        String taught = execute(http, ws, token, lessonCode.get(2));
        System.out.printf("[jupyter] the digits lesson's notebook ran: %s%n", taught.strip());
        assertThat(taught).containsPattern("The computer got (8|9)[0-9] out of 100 right!");

        // the notebook with that cell and its output, saved where s01's lab opens it
        ObjectNode nb = notebook(CELL, output);
        HttpResponse<String> saved = http.send(HttpRequest.newBuilder(URI.create(base + "api/contents/work/digits.ipynb"))
            .header("Authorization", "token " + token).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(JSON.createObjectNode()
                .put("type", "notebook").put("format", "json").set("content", nb))))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(saved.statusCode()).as(saved.body()).isIn(200, 201);

        String noBrowser = LabBrowser.missing();
        if (noBrowser != null) {
          System.out.println("[jupyter] browser part not run: " + noBrowser);
        } else {
          browse(HandoutBrowserTest.chromium(), LabBrowser.chromedriver(), base, token, output);
        }
        Map<String, Long> rss = provider.nodeMemory(name);
        Path cgroup = Path.of("/sys/fs/cgroup/memory/cnai-" + name + "-n0/memory.usage_in_bytes");
        System.out.printf("[jupyter] node cgroup memory with 3 servers: %s MiB; RSS of node processes %s%n",
            Files.isReadable(cgroup) ? Long.parseLong(Files.readString(cgroup).strip()) >> 20 : "?", rss);
      }
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      try {
        provider.delete(name);
        try (Stream<Path> walk = Files.walk(home)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      } catch (Throwable t) {
        if (failure == null) {
          throw t;
        }
        failure.addSuppressed(t);
      }
    }
  }

  /**
   * Headless Chromium, driven through WebDriver, opens s01's lab with the token on the saved notebook
   * (its output shown; DOM and screenshot kept), runs that cell again with Shift + Enter, types a new
   * cell that uses what the first one made and runs it; then opens the digits lesson from the lessons
   * folder and runs its first three code cells. Every output is read back from the DOM after the
   * browser ran the cell; screenshots of both notebooks are kept.
   */
  static void browse(Path chromium, Path chromedriver, String base, String token, String output) throws Exception {
    Path artefacts = HandoutBrowserTest.ARTEFACTS;
    Files.createDirectories(artefacts);
    long b0 = System.nanoTime();
    try (LabBrowser lab = LabBrowser.start(chromium, chromedriver)) {
      lab.open(base + "lab/tree/work/digits.ipynb?token=" + token, Duration.ofSeconds(120));
      long b1 = System.nanoTime();
      String dom = lab.dom();
      Files.writeString(artefacts.resolve("jupyterlab-s01.html"), dom);
      assertThat(dom).as("the lab as Chromium built it (kept in %s)", artefacts.resolve("jupyterlab-s01.html"))
          .contains("jp-LabShell").contains("digits.ipynb").contains(output.strip().split("\n")[0]);
      assertThat(lab.title()).isEqualTo("digits.ipynb");
      assertThat(lab.output(0)).as("the saved output, shown").contains(output.strip().split("\n")[0]);

      // the cell that holds the lesson's code, run by the browser: the saved output goes, a new one comes
      String ran = lab.run(0, Pattern.compile("score [0-9.]+ and 2"), Duration.ofSeconds(120));
      long b2 = System.nanoTime();
      assertThat(Double.parseDouble(ran.replaceAll("(?s).*score ([0-9.]+).*", "$1"))).isGreaterThan(0.8);
      // a cell typed in the browser, using the model and pictures of the cell before, in the same kernel
      String typed = "right = round(model.score(digits.data[1500:], digits.target[1500:]) * 100)\n"
          + "print(len(digits.images), 'pictures,', right, 'right, and', 6 * 7)";
      int cell = lab.emptyCell();
      lab.type(cell, typed);
      assertThat(lab.source(cell)).as("what CodeMirror holds after typing").isEqualTo(typed);
      String answer = lab.run(cell, Pattern.compile("1797 pictures, (8|9)[0-9] right, and 42"), Duration.ofSeconds(60));
      long b3 = System.nanoTime();
      lab.show(cell);
      Path shot = artefacts.resolve("jupyterlab-s01.png");
      png(shot, lab.screenshot());
      System.out.printf("[jupyter] Chromium (WebDriver) opened s01's lab on work/digits.ipynb in %d ms, ran its cell in %d ms (%s), "
          + "ran a typed cell in %d ms (%s); screenshot %s%n", ms(b0, b1), ms(b1, b2), ran.strip(), ms(b2, b3), answer.strip(), shot);

      lab.save();
      HttpResponse<String> saved = get(HttpClient.newHttpClient(), base + "api/contents/work/digits.ipynb?content=1", token);
      assertThat(saved.body()).as("the notebook the browser saved").contains("6 * 7").contains("right, and 42");
      // the digits lesson from the read-only lessons folder: its cells hold the code, Shift + Enter runs them
      lab.open(base + "lab/tree/lessons/kids-day-02-digits.ipynb?token=" + token, Duration.ofSeconds(120));
      long l0 = System.nanoTime();
      assertThat(lab.title()).isEqualTo("kids-day-02-digits.ipynb");
      assertThat(lab.codeCells()).isGreaterThanOrEqualTo(3);
      for (int i = 0; i < 3; i++) {
        assertThat(lab.output(i)).as("code cell %d has no output before the browser runs it", i).isEmpty();
      }
      assertThat(lab.run(0, Pattern.compile("1797 pictures of digits"), Duration.ofSeconds(60))).doesNotContain("Error");
      lab.run(1, Pattern.compile("AxesImage"), Duration.ofSeconds(60));
      assertThat(lab.images(1)).as("the picture of a digit, drawn in the output").isGreaterThanOrEqualTo(1);
      String taught = lab.run(2, Pattern.compile("The computer got (8|9)[0-9] out of 100 right!"), Duration.ofSeconds(120));
      long l1 = System.nanoTime();
      lab.show(2);
      Path lessonShot = artefacts.resolve("jupyterlab-s01-lesson.png");
      png(lessonShot, lab.screenshot());
      System.out.printf("[jupyter] Chromium ran the digits lesson's first three cells in %d ms: %s; screenshot %s%n",
          ms(l0, l1), taught.strip(), lessonShot);
    }
  }

  /** Keeps a screenshot; it must be a real picture. */
  private static void png(Path file, byte[] png) throws Exception {
    assertThat(png.length).as("a real picture").isGreaterThan(20_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    Files.write(file, png);
  }

  /** Sends an execute_request on the kernel's channels; the stream and result text it answered, once idle. */
  static String execute(HttpClient http, String url, String token, String code) throws Exception {
    String msgId = UUID.randomUUID().toString();
    StringBuilder text = new StringBuilder();
    CompletableFuture<String> done = new CompletableFuture<>();
    WebSocket ws = http.newWebSocketBuilder().header("Authorization", "token " + token).connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          private final StringBuilder part = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
              try {
                JsonNode m = JSON.readTree(part.toString());
                if (msgId.equals(m.path("parent_header").path("msg_id").asText())) {
                  String type = m.path("msg_type").asText();
                  JsonNode c = m.path("content");
                  switch (type) {
                    case "stream" -> text.append(c.path("text").asText());
                    case "execute_result" -> text.append(c.path("data").path("text/plain").asText()).append('\n');
                    case "error" -> text.append(c.path("ename").asText()).append(": ").append(c.path("evalue").asText()).append('\n');
                    case "status" -> {
                      if ("idle".equals(c.path("execution_state").asText())) {
                        done.complete(text.toString());
                      }
                    }
                    default -> { }
                  }
                }
              } catch (Exception e) {
                done.completeExceptionally(e);
              }
              part.setLength(0);
            }
            w.request(1);
            return null;
          }

          @Override
          public void onError(WebSocket w, Throwable error) {
            done.completeExceptionally(error);
          }
        }).get(30, TimeUnit.SECONDS);
    ObjectNode msg = JSON.createObjectNode();
    msg.putObject("header").put("msg_id", msgId).put("username", "test").put("session", UUID.randomUUID().toString())
        .put("msg_type", "execute_request").put("version", "5.3").put("date", java.time.Instant.now().toString());
    msg.putObject("parent_header");
    msg.putObject("metadata");
    msg.putObject("content").put("code", code).put("silent", false).put("store_history", true)
        .put("allow_stdin", false).put("stop_on_error", true).putObject("user_expressions");
    msg.put("channel", "shell");
    msg.putArray("buffers");
    ws.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
    try {
      return done.get(120, TimeUnit.SECONDS);
    } finally {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
    }
  }

  private static ObjectNode notebook(String code, String output) {
    ObjectNode nb = JSON.createObjectNode();
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    nb.putObject("metadata").putObject("kernelspec").put("name", "python3").put("display_name", "Python 3").put("language", "python");
    ObjectNode cell = nb.putArray("cells").addObject();
    cell.put("cell_type", "code").put("id", "digits").put("execution_count", 1).put("source", code);
    cell.putObject("metadata");
    cell.putArray("outputs").addObject().put("output_type", "stream").put("name", "stdout").put("text", output);
    return nb;
  }

  private static String base(Pod pod, String student) {
    return "http://" + pod.getStatus().getPodIP() + ":8888/class-" + student + "/";
  }

  private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
    if (token != null) {
      b.header("Authorization", "token " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(KubernetesClient client, String ns) {
    var s = client.secrets().inNamespace(ns).withName(Manifests.CREDENTIALS).get();
    return new String(Base64.getDecoder().decode(s.getData().get("token")), StandardCharsets.UTF_8);
  }

  private static boolean onPath(String command) {
    if (command.contains("/")) {
      return Files.isExecutable(Path.of(command));
    }
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
