package io.cnai.installer.lifecycle;

import io.cnai.installer.helm.HelmReleases;
import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.kube.LiveFacts;
import io.cnai.installer.kube.Readiness;
import io.cnai.installer.kube.Records;
import io.cnai.installer.plan.TargetFacts;
import io.cnai.installer.render.StackRenderer;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything one command needs on one cluster, built once: the client, Helm's releases, the
 * revision store, the inventories, the applier, plus the renderer, progress and clock of the
 * {@link Lifecycle}. The actions take it; closing it closes the client.
 */
public final class StackContext implements AutoCloseable {
  private final ClusterAccess access;
  private final KubernetesClient client;
  private final HelmReleases helm;
  private final RevisionStore store;
  private final Inventory inventory;
  private final Applier applier;
  private final Lifecycle lifecycle;

  private StackContext(ClusterAccess access, KubernetesClient client, Lifecycle lifecycle) {
    this.access = access;
    this.client = client;
    this.lifecycle = lifecycle;
    this.helm = new HelmReleases(access, client);
    this.store = new RevisionStore(new Records(client, Records.Kind.SECRET, StackRevision.NAMESPACE));
    this.inventory = new Inventory(new Records(client, Records.Kind.CONFIG_MAP, StackRevision.NAMESPACE));
    this.applier = new Applier(client);
  }

  static StackContext open(ClusterAccess access, Lifecycle lifecycle) {
    return new StackContext(access, access.open(), lifecycle);
  }

  public ClusterAccess access() {
    return access;
  }

  KubernetesClient client() {
    return client;
  }

  public HelmReleases helm() {
    return helm;
  }

  public RevisionStore store() {
    return store;
  }

  public Inventory inventory() {
    return inventory;
  }

  public Applier applier() {
    return applier;
  }

  public StackRenderer renderer() {
    return lifecycle.renderer();
  }

  public Progress progress() {
    return lifecycle.progress();
  }

  public Clock clock() {
    return lifecycle.clock();
  }

  /** Waits for objects to be ready. */
  Readiness readiness() {
    return new Readiness(client);
  }

  /** The cluster's facts for the planner. */
  TargetFacts facts() {
    return LiveFacts.read(client, access.describe());
  }

  /** A deployer of components, each given {@code timeout} to become ready. */
  Deployer deployer(Duration timeout) {
    return new Deployer(this, timeout);
  }

  @Override
  public void close() {
    client.close();
  }
}
