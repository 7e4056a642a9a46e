package io.cnai.conformance;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the target can do, as found by {@link CapabilityProbe}: for each {@link Need}, whether it is
 * met, and when not, why (the reason a scenario is reported NOT RUN with).
 */
public final class Capabilities {
  private final Map<Need, String> missing;

  private Capabilities(Map<Need, String> missing) {
    this.missing = Map.copyOf(missing);
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean has(Need need) {
    return !missing.containsKey(need);
  }

  /** Why the need is not met, or empty when it is. */
  public Optional<String> whyNot(Need need) {
    return Optional.ofNullable(missing.get(need));
  }

  /**
   * The reason a scenario with these tags cannot run here, or empty when every need it declares is
   * met. Several unmet needs are joined, in the order of {@link Need}.
   */
  public Optional<String> unmet(Collection<String> tags) {
    StringBuilder sb = new StringBuilder();
    for (Need n : Need.values()) {
      if (missing.containsKey(n) && tags.stream().anyMatch(t -> Need.ofTag(t).orElse(null) == n)) {
        sb.append(sb.length() == 0 ? "not run: " : "; ").append(missing.get(n));
      }
    }
    return sb.length() == 0 ? Optional.empty() : Optional.of(sb.toString());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Need n : Need.values()) {
      sb.append(n.tag()).append(": ").append(has(n) ? "yes" : "no (" + missing.get(n) + ")").append('\n');
    }
    return sb.toString();
  }

  public static final class Builder {
    private final Map<Need, String> missing = new EnumMap<>(Need.class);

    public Builder lacks(Need need, String why) {
      missing.put(need, why);
      return this;
    }

    public Capabilities build() {
      return new Capabilities(missing);
    }
  }
}
