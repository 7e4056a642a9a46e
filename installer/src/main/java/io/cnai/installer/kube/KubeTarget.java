package io.cnai.installer.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
 * The cluster cnai works on: a kubeconfig file and a context in it (null: the file's current
 * context). Opens fabric8 clients and gives Helm the same kubeconfig, pinned to the context.
 */
public record KubeTarget(Path kubeconfig, String context) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** {@code --kubeconfig}, else {@code KUBECONFIG} (first entry), else {@code ~/.kube/config}. */
  public static KubeTarget of(Path kubeconfig, String context) {
    Path file = kubeconfig;
    if (file == null) {
      String env = System.getenv("KUBECONFIG");
      file = env != null && !env.isBlank()
          ? Path.of(env.split(java.io.File.pathSeparator)[0])
          : Path.of(System.getProperty("user.home"), ".kube", "config");
    }
    if (!Files.isRegularFile(file)) {
      throw CnaiException.badInput(
          "kubeconfig " + file + " does not exist",
          "pass --kubeconfig with the path of an existing kubeconfig file, or create a cluster with 'cnai up'");
    }
    KubeTarget t = new KubeTarget(file, context);
    t.checkContext();
    return t;
  }

  /** A context that the file does not have is bad input (fabric8 would quietly use the current one). */
  void checkContext() {
    if (context == null) {
      return;
    }
    try {
      boolean found = false;
      for (var c : YAML.readTree(Files.readString(kubeconfig)).path("contexts")) {
        found |= context.equals(c.path("name").asText());
      }
      if (!found) {
        throw CnaiException.badInput(
            "context '" + context + "' is not in " + kubeconfig,
            "pass one of the contexts of that file ('kubectl config get-contexts --kubeconfig " + kubeconfig + "')");
      }
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), "check the file");
    }
  }

  /** A new client (the caller closes it). */
  public KubernetesClient client() {
    try {
      String kc = Files.readString(kubeconfig);
      Config config = Config.fromKubeconfig(context, kc, kubeconfig.toString());
      probe(config, (context == null ? "current context" : "context '" + context + "'") + " of " + kubeconfig, kubeconfig);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException | KubernetesClientException e) {
      throw CnaiException.badInput(
          "cannot use " + (context == null ? "the current context" : "context '" + context + "'") + " of "
              + kubeconfig + ": " + e.getMessage(),
          "check the kubeconfig file and the --context name ('kubectl config get-contexts')");
    }
  }

  /**
   * One TCP connection to the API server before anything else: a cluster that is down or a wrong
   * address is said at once, instead of after the client's retries (about 25 s). Skipped when a
   * proxy is configured (the proxy, not cnai, reaches the server then).
   */
  public static void probe(Config config, String where, Path kubeconfig) {
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
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), port), 5000);
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot reach the Kubernetes API server " + config.getMasterUrl() + " (" + where + "): " + (e instanceof java.net.UnknownHostException ? "unknown host " + url.getHost() : e.getMessage()),
          "check that the cluster runs and that --kubeconfig and --context point at it ('kubectl --kubeconfig " + kubeconfig + " cluster-info')");
    }
  }

  /** The kubeconfig text with {@code current-context} set to this target's context, for Helm. */
  public String helmKubeconfig() {
    try {
      String text = Files.readString(kubeconfig);
      if (context == null) {
        return text;
      }
      ObjectNode root = (ObjectNode) YAML.readTree(text);
      boolean found = false;
      for (var c : root.path("contexts")) {
        found |= context.equals(c.path("name").asText());
      }
      if (!found) {
        throw CnaiException.badInput(
            "context '" + context + "' is not in " + kubeconfig,
            "pass one of the contexts of that file ('kubectl config get-contexts --kubeconfig " + kubeconfig + "')");
      }
      root.put("current-context", context);
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), "check the file");
    }
  }
}
