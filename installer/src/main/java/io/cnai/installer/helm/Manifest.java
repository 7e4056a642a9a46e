package io.cnai.installer.helm;

/**
 * One rendered Kubernetes object.
 *
 * @param namespace {@code metadata.namespace} as rendered, or null when the chart does not set it
 *     (cluster-scoped objects, and namespaced ones that go to the release namespace)
 * @param yaml the object's YAML document as rendered (with Helm's {@code # Source:} comment when
 *     it came from a template), without the {@code ---} separator
 */
public record Manifest(String apiVersion, String kind, String namespace, String name, String yaml) {
  public boolean isCrd() {
    return "CustomResourceDefinition".equals(kind)
        && apiVersion != null
        && apiVersion.startsWith("apiextensions.k8s.io/");
  }

  /** {@code Kind/name} or {@code Kind/namespace/name}, for messages. */
  public String id() {
    return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
  }
}
