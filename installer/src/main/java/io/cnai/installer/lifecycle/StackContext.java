package io.cnai.installer.lifecycle;

import io.cnai.installer.helm.HelmReleases;
import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.kube.ClusterSession;
import io.cnai.installer.kube.Readiness;
import io.cnai.installer.kube.Records;
import io.cnai.installer.plan.TargetFacts;
import io.cnai.installer.render.StackRenderer;
import io.cnai.revision.StackRevision;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything one command needs on one cluster, built once: the client, Helm's releases, the
 * revision store, the inventories, the applier, plus the renderer, progress and clock of the
 * {@link Lifecycle}. The actions take it; closing it closes the client.
 */
public final class StackContext implements AutoCloseable {
  private final ClusterSession session;
  private final HelmReleases helm;
  private final RevisionStore store;
  private final Inventory inventory;
  private final Applier applier;
  private final Lifecycle lifecycle;

  private StackContext(ClusterSession session, Lifecycle lifecycle) {
    this.session = session;
    this.lifecycle = lifecycle;
    this.helm = new HelmReleases(session);
    this.store = new RevisionStore(session.records(Records.Kind.SECRET, StackRevision.NAMESPACE));
    this.inventory = new Inventory(session.records(Records.Kind.CONFIG_MAP, StackRevision.NAMESPACE));
    this.applier = session.applier();
  }

  static StackContext open(ClusterAccess access, Lifecycle lifecycle) {
    return new StackContext(ClusterSession.open(access), lifecycle);
  }

  public ClusterAccess access() {
    return session.access();
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
    return session.readiness();
  }

  private Boolean runsContainers;

  /** Whether any node of the cluster runs containers (asked once per command). */
  synchronized boolean runsContainers() {
    if (runsContainers == null) {
      runsContainers = session.clusterFacts().runsContainers();
    }
    return runsContainers;
  }

  /** The cluster's facts for the planner. */
  TargetFacts facts() {
    return session.targetFacts();
  }

  /** A deployer of components, each given {@code timeout} to become ready. */
  Deployer deployer(Duration timeout) {
    return new Deployer(this, timeout);
  }

  @Override
  public void close() {
    helm.close();
    session.close();
  }
}
