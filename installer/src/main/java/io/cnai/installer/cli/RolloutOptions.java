package io.cnai.installer.cli;

import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.lifecycle.Lifecycle;
import io.cnai.installer.lifecycle.PlanSource;
import io.cnai.installer.lifecycle.Rollout;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;

/**
 * Every option of the commands that plan and apply a stack (install, upgrade, up): which stack,
 * whose signature, which cluster, how to show progress, how long to wait, what to allow unlocked.
 */
public final class RolloutOptions {
  @Mixin StackOptions stack;
  @Mixin TrustOptions trust;
  @Mixin ApplyOptions apply;
  @Mixin VerifyOptions verify;

  /** What the command needs, in the order that says bad input before the cluster is touched. */
  record Prepared(ClusterAccess access, Lifecycle lifecycle, PlanSource source) {}

  /**
   * Checks the distribution's signature, reads the kubeconfig, builds the lifecycle and loads the
   * stack's files: all before any cluster is contacted. {@code helmSoon}: the command will call into
   * Helm in all likelihood (install, up), so Helm's native library loads meanwhile; an upgrade
   * loads it only when something changed (a no-op upgrade, the common rerun, never needs it).
   */
  Prepared prepare(PrintWriter out, PrintWriter err, boolean readKubeconfig, boolean helmSoon) {
    trust.verifyDistribution(stack, err, verify.allowUnverified, helmSoon);
    ClusterAccess access = readKubeconfig ? apply.kube().access() : null;
    Lifecycle lifecycle = apply.lifecycle(out);
    return new Prepared(access, lifecycle, stack.planSource());
  }

  /** Sets the shared options on an action. */
  <A extends Rollout<A>> A configure(A action, PlanSource source) {
    return action.source(source).timeout(apply.timeout()).requireLocked(verify.requireLocked).allowUnverified(verify.allowUnverified);
  }
}
