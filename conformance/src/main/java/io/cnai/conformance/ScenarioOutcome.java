package io.cnai.conformance;

import java.util.List;
import java.util.Set;

/**
 * How one scenario ended, with what it checked and observed.
 *
 * @param feature the feature's name
 * @param name the scenario's name
 * @param uri where the scenario is (classpath resource and line)
 * @param tags its tags, with '@', feature tags included
 * @param status passed, failed, not run or not applicable
 * @param reason why it failed or did not run; empty when it passed
 * @param evidence what the steps checked and saw, one line each
 */
public record ScenarioOutcome(
    String feature, String name, String uri, Set<String> tags, Status status, String reason, List<String> evidence) {
  public enum Status {
    PASSED,
    FAILED,
    /** A need of the scenario is not met here, or its check is not written yet. Never a pass. */
    NOT_RUN,
    /** The requirement does not apply to this platform (e.g. no cluster autoscaler is offered). */
    NOT_APPLICABLE
  }

  public ScenarioOutcome {
    tags = Set.copyOf(tags);
    evidence = List.copyOf(evidence);
  }

  public boolean must() {
    return tags.contains("@MUST");
  }

  public boolean hasTag(String tag) {
    return tags.contains(tag.startsWith("@") ? tag : "@" + tag);
  }
}
