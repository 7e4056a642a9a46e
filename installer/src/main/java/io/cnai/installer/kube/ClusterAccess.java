package io.cnai.installer.kube;

import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one way cnai reaches a cluster: a kubeconfig file and a context in it ({@code null}: the
 * file's current context). The file is read and parsed once; every fabric8 client is opened here
 * and Helm gets the same connection as kubeconfig text pinned to the context (no temporary file).
 */
public final class ClusterAccess {
  /**
   * Vert.x, under fabric8's HTTP client, logs a warning with a stack trace on stderr each second its
   * event loop is held up (a busy machine, a large watch event): not cnai's output, and not an error.
   * Held here so that the setting lives as long as the class.
   */
  private static final java.util.logging.Logger VERTX_BLOCKED_THREADS = quiet("io.vertx.core.impl.BlockedThreadChecker");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    l.setLevel(java.util.logging.Level.OFF);
    return l;
  }
  private final Path kubeconfig;
  private final String context;
  private final String text;
  private final com.fasterxml.jackson.databind.JsonNode parsed;

  private ClusterAccess(Path kubeconfig, String context, String text, com.fasterxml.jackson.databind.JsonNode parsed) {
    this.kubeconfig = kubeconfig;
    this.context = context;
    this.text = text;
    this.parsed = parsed;
  }

  /** {@code --kubeconfig}, else {@code KUBECONFIG} (first entry), else {@code ~/.kube/config}. */
  public static Path defaultKubeconfig() {
    String env = System.getenv("KUBECONFIG");
    return env != null && !env.isBlank()
        ? Path.of(env.split(java.io.File.pathSeparator)[0])
        : Path.of(System.getProperty("user.home"), ".kube", "config");
  }

  /**
   * Reads the kubeconfig ({@code null}: {@link #defaultKubeconfig()}) and checks the context: a
   * missing file or a context the file does not have is bad input (fabric8 would quietly use the
   * current context).
   */
  public static ClusterAccess of(Path kubeconfig, String context) {
    Path file = kubeconfig != null ? kubeconfig : defaultKubeconfig();
    if (!Files.isRegularFile(file)) {
      throw CnaiException.badInput(
          "kubeconfig " + file + " does not exist",
          "pass --kubeconfig with the path of an existing kubeconfig file, or create a cluster with 'cnai up'");
    }
    String text;
    com.fasterxml.jackson.databind.JsonNode parsed;
    try {
      text = Files.readString(file);
      parsed = io.cnai.installer.json.Mappers.YAML.readTree(text);
    } catch (IOException | RuntimeException e) {
      throw CnaiException.badInput("cannot read kubeconfig " + file + ": " + e.getMessage(), "check the file");
    }
    if (context != null && contexts(parsed).stream().noneMatch(context::equals)) {
      throw CnaiException.badInput(
          "context '" + context + "' is not in " + file,
          "pass one of the contexts of that file ('kubectl config get-contexts --kubeconfig " + file + "')");
    }
    return new ClusterAccess(file, context, text, parsed);
  }

  private static List<String> contexts(com.fasterxml.jackson.databind.JsonNode c) {
    List<String> out = new java.util.ArrayList<>();
    c.path("contexts").forEach(n -> out.add(n.path("name").asText()));
    return out;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The context named by the user; null: the file's current context. */
  public String context() {
    return context;
  }

  /** The context in use: the named one, else the file's current context (null when it has none). */
  public String effectiveContext() {
    return context != null ? context : parsed.path("current-context").asText(null);
  }

  /** How to name this cluster in messages: the file and the context. */
  public String describe() {
    return kubeconfig + (context == null ? "" : " (" + context + ")");
  }

  /** The API server's URL, as the kubeconfig names it for the context. */
  public String server() {
    return config().getMasterUrl();
  }

  private Config config() {
    try {
      return Config.fromKubeconfig(context, text, kubeconfig.toString());
    } catch (KubernetesClientException e) {
      throw CnaiException.badInput(
          "cannot use " + (context == null ? "the current context" : "context '" + context + "'") + " of " + kubeconfig + ": " + e.getMessage(),
          "check the kubeconfig file and the --context name ('kubectl config get-contexts')");
    }
  }

  /** A new client (the caller closes it), after one TCP connection that says at once when the server is down. */
  public KubernetesClient open() {
    Config config = config();
    probe(config);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A client and the Vert.x instance under it: {@link #close} closes the client and waits until Vert.x has stopped. */
  public record Connection(KubernetesClient client, io.vertx.core.Vertx vertx) implements AutoCloseable {
    @Override
    public void close() {
      try {
        client.close();
      } finally {
        try {
          vertx.close().toCompletionStage().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          // its threads are daemons: nothing is held up by them
        }
      }
    }
  }

  /**
   * As {@link #open()}, on a Vert.x instance of the connection's own that {@link Connection#close}
   * stops and waits for. fabric8's own client closes its Vert.x without waiting, and a JVM that
   * exits while event-loop threads still sit in a native call waits 300 ms for them (HotSpot's
   * {@code VM_Exit}): a tenth of a short command such as {@code status}.
   */
  public Connection connect() {
    Config config = config();
    probe(config);
    io.vertx.core.Vertx vertx = vertx();
    try {
      return new Connection(new KubernetesClientBuilder().withConfig(config)
          .withHttpClientFactory(new io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory(vertx)).build(), vertx);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** A Vert.x instance set up as fabric8's client sets up its own: daemon threads, no file cache, the JDK's DNS resolver. */
  private static synchronized io.vertx.core.Vertx vertx() {
    String dns = System.getProperty("vertx.disableDnsResolver");
    System.setProperty("vertx.disableDnsResolver", "true");
    try {
      return io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions()
          .setFileSystemOptions(new io.vertx.core.file.FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false))
          .setUseDaemonThread(true));
    } finally {
      if (dns == null) {
        System.clearProperty("vertx.disableDnsResolver");
      } else {
        System.setProperty("vertx.disableDnsResolver", dns);
      }
    }
  }

  /** The kubeconfig text for Helm, with {@code current-context} set to this context. */
  public String helmKubeconfig() {
    if (context == null) {
      return text;
    }
    try {
      com.fasterxml.jackson.databind.node.ObjectNode copy = (com.fasterxml.jackson.databind.node.ObjectNode) parsed.deepCopy();
      copy.put("current-context", context);
      return io.cnai.installer.json.Mappers.YAML.writeValueAsString(copy);
    } catch (IOException | RuntimeException e) {
      throw CnaiException.failure("cannot write the kubeconfig for Helm: " + e.getMessage(), "check " + kubeconfig);
    }
  }

  /**
   * One TCP connection to the API server before anything else: a cluster that is down or a wrong
   * address is said at once, instead of after the client's retries (about 25 s). Skipped when a
   * proxy is configured (the proxy, not cnai, reaches the server then).
   */
  private void probe(Config config) {
    if (config.getHttpsProxy() != null || config.getHttpProxy() != null) {
      return;
    }
    for (String v : List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")) {
      String e = System.getenv(v);
      if (e != null && !e.isBlank()) {
        return;
      }
    }
    URI url;
    try {
      url = URI.create(config.getMasterUrl());
    } catch (IllegalArgumentException e) {
      return; // the client says what is wrong with it
    }
    if (url.getHost() == null) {
      return;
    }
    int port = url.getPort() != -1 ? url.getPort() : "http".equals(url.getScheme()) ? 80 : 443;
    String where = (context == null ? "current context" : "context '" + context + "'") + " of " + kubeconfig;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), port), 5000);
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot reach the Kubernetes API server " + config.getMasterUrl() + " (" + where + "): "
              + (e instanceof java.net.UnknownHostException ? "unknown host " + url.getHost() : e.getMessage()),
          "check that the cluster runs and that --kubeconfig and --context point at it ('kubectl --kubeconfig " + kubeconfig + " cluster-info')");
    }
  }

  /**
   * Starts loading, on one daemon thread, what a command needs next while the caller does other
   * work (e.g. checks a signature): first {@code first} (e.g. Helm's native library), then the
   * client's HTTP and TLS classes. Nothing is contacted; a failure is left to the real call.
   */
  public static void warmUp(Runnable first) {
    Thread t = new Thread(() -> {
      try {
        first.run();
        new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
            .withMasterUrl("https://127.0.0.1:1").build()).build().close();
      } catch (Throwable ignored) {
        // only a head start
      }
    }, "cnai-warm-up");
    t.setDaemon(true);
    t.start();
  }
}
