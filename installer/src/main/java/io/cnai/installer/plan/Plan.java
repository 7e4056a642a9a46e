package io.cnai.installer.plan;

import io.cnai.distro.Distribution;
import io.cnai.profiles.ResolvedProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An ordered, digest-stamped list of steps, grouped in waves whose steps may run in parallel. */
public record Plan(
    Distribution distribution,
    ResolvedProfile profile,
    TargetFacts target,
    List<PlanStep> steps,
    List<String> warnings,
    String digest) {

  public static final String API_VERSION = "plan.cnai.io/v1alpha1";

  public Plan {
    steps = List.copyOf(steps);
    warnings = List.copyOf(warnings);
  }

  /** Waves in order; wave 1 first. */
  public List<List<PlanStep>> waves() {
    Map<Integer, List<PlanStep>> byWave = new TreeMap<>();
    for (PlanStep s : steps) {
      byWave.computeIfAbsent(s.wave(), w -> new ArrayList<>()).add(s);
    }
    return List.copyOf(byWave.values());
  }

  public PlanStep step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }
}
