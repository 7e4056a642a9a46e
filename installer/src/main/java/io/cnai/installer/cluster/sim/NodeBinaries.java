package io.cnai.installer.cluster.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a real node's binaries are, as installer/tools/build-node.sh leaves them:
 * {@code <tools>/<name>/<version>/<name>}, next to the sim binaries.
 */
public record NodeBinaries(Path tools) {
  public static final String BUILD_HINT = "run installer/tools/build-node.sh";

  public static NodeBinaries fromEnvironment() {
    return new NodeBinaries(SimBinaries.fromEnvironment().tools());
  }

  public Path kubelet() {
    return path("kubelet", SimVersions.KUBERNETES);
  }

  public Path kubeProxy() {
    return path("kube-proxy", SimVersions.KUBERNETES);
  }

  public Path containerd() {
    return path("containerd", NodeVersions.CONTAINERD);
  }

  public Path shim() {
    return path("containerd-shim-runc-v2", NodeVersions.CONTAINERD);
  }

  /** The CNCF distribution registry (installer/tools/build-registry.sh), for {@code --local-registry}. */
  public Path registry() {
    return path("registry", NodeVersions.REGISTRY);
  }

  public Path ctr() {
    return path("ctr", NodeVersions.CONTAINERD);
  }

  /** The nodes' cluster DNS, built with the plugins a cluster needs. */
  public Path coredns() {
    return path("coredns", NodeVersions.COREDNS);
  }

  /** cnai's NetworkPolicy agent (installer/tools/netpol), iptables in the node's namespace. */
  public Path netpol() {
    return path("cnai-netpol", NodeVersions.NETPOL);
  }

  private Path path(String name, String version) {
    return tools.resolve(name).resolve(version).resolve(name);
  }

  /** The binaries that are not there (empty when all are). */
  public List<Path> missing() {
    List<Path> out = new ArrayList<>();
    for (Path p : List.of(kubelet(), kubeProxy(), containerd(), shim(), ctr(), coredns(), netpol())) {
      if (!Files.isExecutable(p)) {
        out.add(p);
      }
    }
    return out;
  }
}
