package io.cnai.installer.cluster.sim;

/**
 * The versions of a real node's binaries (the {@code local} provider). installer/tools/build-node.sh
 * builds these; a unit test checks that the script names the same. The kubelet and kube-proxy are
 * always {@link SimVersions#KUBERNETES}, the control plane's version.
 */
public final class NodeVersions {
  public static final String CONTAINERD = "v2.4.2";
  /** The nodes' cluster DNS: COREDNS_VERSION of installer/tools/build-node.sh. */
  public static final String COREDNS = "v1.15.0";
  /** cnai's NetworkPolicy agent of the nodes: NETPOL_VERSION of installer/tools/build-node.sh. */
  public static final String NETPOL = "v0.1.0";
  /** The local registry of {@code --local-registry}: REGISTRY_VERSION of installer/tools/build-registry.sh. */
  public static final String REGISTRY = "v3.1.1";

  private NodeVersions() {}
}
