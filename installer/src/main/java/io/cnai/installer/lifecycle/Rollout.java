package io.cnai.installer.lifecycle;

import java.time.Duration;
import java.util.List;

/**
 * The options every action that plans and applies a stack has (install, upgrade, up): what to
 * install, how long each component may take, and how unlocked components are treated.
 *
 * @param <A> the action, so that the setters chain
 */
public abstract class Rollout<A extends Rollout<A>> {
  PlanSource source;
  Duration timeout = Duration.ofMinutes(5);
  boolean requireLocked;
  List<String> allowUnverified = List.of();

  Rollout() {}

  @SuppressWarnings("unchecked")
  private A self() {
    return (A) this;
  }

  /** The distribution, profile and overrides to plan, against the live cluster's facts. */
  public A source(PlanSource source) {
    this.source = source;
    return self();
  }

  /** How long each component may take to become ready (default 5 minutes). */
  public A timeout(Duration timeout) {
    this.timeout = timeout;
    return self();
  }

  /** Refuse components without a locked digest, except those {@link #allowUnverified} names. */
  public A requireLocked(boolean requireLocked) {
    this.requireLocked = requireLocked;
    return self();
  }

  /** Unlocked components to install anyway (and the unsigned distribution's entry), recorded in the revision. */
  public A allowUnverified(List<String> allowUnverified) {
    this.allowUnverified = List.copyOf(allowUnverified);
    return self();
  }
}
