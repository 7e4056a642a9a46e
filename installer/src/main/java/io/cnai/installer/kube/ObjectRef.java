package io.cnai.installer.kube;

/** A reference to one object in the cluster (namespace null for cluster-scoped objects). */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {
  /** {@code Kind/name} or {@code Kind/namespace/name}. */
  public String id() {
    return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
  }

  /** One line, as stored in inventories: {@code apiVersion|kind|namespace|name}. */
  public String line() {
    return apiVersion + "|" + kind + "|" + (namespace == null ? "" : namespace) + "|" + name;
  }

  /** The reference of an object (its namespace as set on it). */
  public static ObjectRef of(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return new ObjectRef(o.getApiVersion(), o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  public static ObjectRef parse(String line) {
    String[] p = line.split("\\|", -1);
    return new ObjectRef(p[0], p[1], p[2].isEmpty() ? null : p[2], p[3]);
  }

  public String group() {
    int i = apiVersion.indexOf('/');
    return i < 0 ? "" : apiVersion.substring(0, i);
  }
}
