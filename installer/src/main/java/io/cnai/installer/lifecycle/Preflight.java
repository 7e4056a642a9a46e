package io.cnai.installer.lifecycle;

import java.nio.file.Path;

/**
 * Runs before install and upgrade do anything else (before planning, fetching or touching the
 * cluster): e.g. the check of the distribution's signature. Throwing a
 * {@link io.cnai.core.CnaiException} stops the action with nothing done.
 */
@FunctionalInterface
public interface Preflight {
  void check(Path distributionFile);

  /** Checks nothing. */
  static Preflight none() {
    return file -> {};
  }
}
