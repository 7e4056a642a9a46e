package io.cnai.conformance;

import java.util.Map;
import java.util.Optional;

/**
 * One requirement the suite has a feature for: its id (also the tag of its feature) and the level
 * its feature is tagged with per checklist version ("1.34" -> MUST), for the tag catalogue. What
 * the requirement says, and its level in a submission, come from the program's template.
 */
public record Requirement(String id, Map<String, Level> levels) {
  public enum Level {
    MUST,
    SHOULD
  }

  public Requirement {
    levels = Map.copyOf(levels);
  }

  public Optional<Level> level(String checklistVersion) {
    return Optional.ofNullable(levels.get(checklistVersion));
  }
}
