package io.cnai.conformance;

import java.util.Map;
import java.util.Optional;

/**
 * One AI Conformance requirement: its id (also the tag of its feature), the checklist category it
 * belongs to, what it asks in one line (our own words), and its level per checklist version
 * ("1.34" -> MUST). A version missing from {@code levels} means the checklist of that version does
 * not list the requirement.
 */
public record Requirement(String id, String category, String description, Map<String, Level> levels) {
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
