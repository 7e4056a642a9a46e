package io.cnai.profiles;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A profile with its whole 'extends' chain applied, checked against one distribution: which
 * components are on, the values each gets from the profiles, what the target must have.
 */
public record ResolvedProfile(
    String name,
    List<String> chain,
    Set<String> enabled,
    Map<String, Map<String, Object>> values,
    Profile.Requirements requirements,
    Profile.GpuSharing gpu,
    Profile.Cloud cloud) {
  public ResolvedProfile {
    chain = List.copyOf(chain);
    enabled = Set.copyOf(enabled);
    values = Map.copyOf(values);
  }
}
