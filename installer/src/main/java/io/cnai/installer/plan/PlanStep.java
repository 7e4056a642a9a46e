package io.cnai.installer.plan;

import io.cnai.distro.Component;
import java.util.List;
import java.util.Map;

/** One component to install: where from, into which namespace, with which values, after what. */
public record PlanStep(
    Component component, int wave, List<String> after, Map<String, Object> values, String valuesDigest) {
  public PlanStep {
    after = List.copyOf(after);
  }

  public String name() {
    return component.name();
  }
}
