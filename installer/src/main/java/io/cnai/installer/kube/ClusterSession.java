package io.cnai.installer.kube;

import io.cnai.installer.plan.TargetFacts;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One open connection to a cluster and the kube/ services over it: applying and deleting objects,
 * waiting for readiness, labelled records, facts. The rest of cnai reaches the API server only
 * through these; closing the session closes the client.
 */
public final class ClusterSession implements AutoCloseable {
  private final ClusterAccess access;
  private final ClusterAccess.Connection connection;
  private final KubernetesClient client;
  private final Applier applier;

  private ClusterSession(ClusterAccess access, ClusterAccess.Connection connection) {
    this.access = access;
    this.connection = connection;
    this.client = connection.client();
    this.applier = new Applier(client);
  }

  /** Connects (one TCP probe first: a server that is down is said at once). */
  public static ClusterSession open(ClusterAccess access) {
    return new ClusterSession(access, access.connect());
  }

  public ClusterAccess access() {
    return access;
  }

  public Applier applier() {
    return applier;
  }

  public Readiness readiness() {
    return new Readiness(client);
  }

  /** Labelled records of one kind in one namespace. */
  public Records records(Records.Kind kind, String namespace) {
    return new Records(client, kind, namespace);
  }

  /** What the planner needs to know of this cluster. */
  public TargetFacts targetFacts() {
    return LiveFacts.read(client, access.describe());
  }

  /** Version and nodes. */
  public ClusterFacts clusterFacts() {
    return LiveFacts.cluster(client);
  }

  @Override
  public void close() {
    connection.close();
  }
}
