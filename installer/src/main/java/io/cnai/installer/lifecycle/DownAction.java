package io.cnai.installer.lifecycle;

import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.ClusterSummary;
import io.cnai.installer.kube.ClusterAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code cnai down}: uninstall the stack and delete the cluster cnai made. A cluster made elsewhere
 * is never deleted: only the stack is uninstalled, keeping PVCs and CRDs unless told otherwise.
 */
public final class DownAction {
  private final Lifecycle lifecycle;
  private final ClusterProvider provider;
  private String name = "cnai";
  private Path kubeconfig;
  private String context;
  private Duration timeout = Duration.ofMinutes(5);
  private boolean deletePvcs;
  private boolean deleteCrds;

  /** What down did. */
  public enum Outcome {
    /** The stack was uninstalled; the cluster (not cnai's) stays. */
    UNINSTALLED,
    /** The cluster was running: the stack was uninstalled, then the cluster deleted. */
    DELETED,
    /** The cluster was not running: deleted without an uninstall (the stack went with it). */
    DELETED_NOT_RUNNING,
    /** No such cluster. */
    NOT_FOUND
  }

  public record Result(Outcome outcome, ClusterSummary.State state) {}

  public DownAction(Lifecycle lifecycle, ClusterProvider provider) {
    this.lifecycle = lifecycle;
    this.provider = provider;
  }

  public DownAction name(String name) {
    this.name = name;
    return this;
  }

  public DownAction kubeconfig(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    return this;
  }

  public DownAction context(String context) {
    this.context = context;
    return this;
  }

  public DownAction timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** A cluster cnai did not make: also delete the stack's PVCs (a cluster cnai made goes with all its data anyway). */
  public DownAction deletePvcs(boolean deletePvcs) {
    this.deletePvcs = deletePvcs;
    return this;
  }

  /** A cluster cnai did not make: also delete the stack's CRDs and every custom resource. */
  public DownAction deleteCrds(boolean deleteCrds) {
    this.deleteCrds = deleteCrds;
    return this;
  }

  public Result run() {
    if (!provider.makesClusters()) {
      try (StackContext ctx = lifecycle.open(ClusterAccess.of(kubeconfig, context))) {
        new UninstallAction(ctx).timeout(timeout).deletePvcs(deletePvcs).deleteCrds(deleteCrds).run();
      }
      return new Result(Outcome.UNINSTALLED, ClusterSummary.State.EXTERNAL);
    }
    Optional<Cluster> c = provider.find(name);
    if (c.isEmpty()) {
      return new Result(Outcome.NOT_FOUND, null);
    }
    ClusterSummary.State state = provider.list().stream().filter(x -> x.name().equals(name)).map(ClusterSummary::state).findFirst()
        .orElse(ClusterSummary.State.RUNNING);
    if (state == ClusterSummary.State.RUNNING) {
      try (StackContext ctx = lifecycle.open(c.get().access())) {
        new UninstallAction(ctx).timeout(timeout).deletePvcs(true).deleteCrds(true).run();
      }
    }
    provider.delete(name);
    return new Result(state == ClusterSummary.State.RUNNING ? Outcome.DELETED : Outcome.DELETED_NOT_RUNNING, state);
  }
}
