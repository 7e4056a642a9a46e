package io.cnai.installer.cluster.sim;

/**
 * The exact versions of the sim cluster's binaries. installer/tools/build-sim.sh builds these; a
 * unit test checks that the script and this class name the same ones.
 */
public final class SimVersions {
  public static final String KUBERNETES = "v1.37.2";
  /** The etcd that k8s.io/kubernetes v1.37.2 requires in its go.mod. */
  public static final String ETCD = "v3.7.0";

  public static final String KWOK = "v0.8.0";

  private SimVersions() {}
}
