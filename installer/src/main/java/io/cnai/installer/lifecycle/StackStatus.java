package io.cnai.installer.lifecycle;

import io.cnai.revision.StackRevision;
import java.util.List;

/**
 * The live state of the stack against the deployed revision.
 *
 * @param notes what could not be checked (e.g. the objects of a manifest component whose source
 *     is neither cached nor reachable), and why
 */
public record StackStatus(StackRevision revision, List<Component> components, List<String> drift, boolean ready, List<String> notes) {
  /** The live state of one component compared with the deployed revision. */
  public record Component(String name, String namespace, String expected, String live, boolean ready, List<String> drift) {}

  /** No drift, everything ready. */
  public boolean healthy() {
    return drift.isEmpty() && ready;
  }
}
