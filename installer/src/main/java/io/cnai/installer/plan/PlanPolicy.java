package io.cnai.installer.plan;

import io.cnai.distro.KubeVersion;

/**
 * Checks of the planner that a user may bypass, each only by naming what is bypassed.
 *
 * <p>{@code allowKubeVersion}: plan for this Kubernetes minor line although the distribution or
 * the profile has not been verified with it (the CLI flag {@code --allow-kube-version 1.37}). The
 * plan then carries a warning that says so, and the override is part of the plan's digest.
 * Components' own minimum versions and charts' {@code kubeVersion} constraints still apply: they
 * are requirements, not the range a release was verified with.
 */
public record PlanPolicy(KubeVersion allowKubeVersion) {
  /** No override: every check applies. */
  public static final PlanPolicy STRICT = new PlanPolicy(null);

  /** Allows the minor line of {@code version} ("1.37", "v1.37.2"); null or blank means none. */
  public static PlanPolicy allowingKubeVersion(String version) {
    if (version == null || version.isBlank()) {
      return STRICT;
    }
    KubeVersion v = KubeVersion.parseOrNull(version);
    if (v == null) {
      throw io.cnai.core.CnaiException.badInput(
          "--allow-kube-version '" + version + "' is not a Kubernetes version", "write a minor version such as 1.37");
    }
    return new PlanPolicy(v);
  }

  boolean allows(KubeVersion target) {
    return allowKubeVersion != null && allowKubeVersion.compareMinor(target) == 0;
  }
}
