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
import java.nio.file.Files;
import java.nio.file.Path;

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
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException | KubernetesClientException e) {
      throw CnaiException.badInput(
          "cannot use " + (context == null ? "the current context" : "context '" + context + "'") + " of "
              + kubeconfig + ": " + e.getMessage(),
          "check the kubeconfig file and the --context name ('kubectl config get-contexts')");
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
