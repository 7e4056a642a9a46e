package io.cnai.installer.cluster.sim;

/** The processes of a sim cluster, in the order they start. */
public enum SimComponent {
  ETCD("etcd"),
  APISERVER("kube-apiserver"),
  CONTROLLER_MANAGER("kube-controller-manager"),
  SCHEDULER("kube-scheduler"),
  KWOK("kwok");

  private final String id;

  SimComponent(String id) {
    this.id = id;
  }

  /** The name of its files (log, pid, args) and of its binary. */
  public String id() {
    return id;
  }
}
