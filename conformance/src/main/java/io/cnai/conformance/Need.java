package io.cnai.conformance;

import java.util.Locale;
import java.util.Optional;

/** What a scenario needs from the target beyond an API server; declared by a tag. */
public enum Need {
  /** Real containers must run (kwok-simulated nodes run none). */
  CONTAINERS,
  /** A real accelerator, advertised by a device plugin or DRA driver on a real node. */
  GPU,
  /**
   * A node that advertises an accelerator resource, simulated or not: enough for scheduling,
   * placement and quota checks (a cluster of real nodes without GPUs has none).
   */
  GPU_NODES,
  /** The cnai stack must be installed (a deployed stack revision in cnai-system). */
  STACK;

  public String tag() {
    return "@needs-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<Need> ofTag(String tag) {
    for (Need n : values()) {
      if (n.tag().equals(tag) || n.tag().substring(1).equals(tag)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}
