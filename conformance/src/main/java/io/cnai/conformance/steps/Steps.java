package io.cnai.conformance.steps;

import io.cnai.conformance.ScenarioWorld;

/** Small helpers shared by the step classes. */
final class Steps {
  private Steps() {}

  static void cleanup(ScenarioWorld world) {
    world.cleanup();
  }

  /** Fails the step with what was expected and what was seen. */
  static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
