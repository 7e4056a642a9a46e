package io.cnai.distro;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks that span components: dependencies exist and form no cycle. */
final class DistributionChecks {
  private DistributionChecks() {}

  static void check(Distribution d) {
    Map<String, Component> byName = new HashMap<>();
    d.components().forEach(c -> byName.put(c.name(), c));
    for (Component c : d.components()) {
      for (String dep : c.dependsOn()) {
        if (!byName.containsKey(dep)) {
          String near = Fields.closest(dep, byName.keySet());
          throw CnaiException.badInput(
              c.dependsOnLocation(),
              "component '" + c.name() + "' depends on '" + dep + "', which is not a component of this distribution",
              near != null ? "did you mean '" + near + "'?" : "add the component or remove it from dependsOn");
        }
        if (dep.equals(c.name())) {
          throw CnaiException.badInput(
              c.dependsOnLocation(), "component '" + c.name() + "' depends on itself", "remove it from its own dependsOn");
        }
      }
      if (c.minKubernetes() != null && d.maxKubernetes() != null && c.minKubernetes().compareTo(d.maxKubernetes()) > 0) {
        throw CnaiException.badInput(
            c.location(),
            "component '" + c.name() + "' needs Kubernetes " + c.minKubernetes() + " but the distribution supports at most " + d.maxKubernetes(),
            "raise spec.kubernetes.max or pin an older version of the component");
      }
    }
    List<String> cycle = findCycle(d.components(), byName);
    if (cycle != null) {
      throw CnaiException.badInput(
          byName.get(cycle.get(0)).dependsOnLocation(),
          "dependency cycle: " + String.join(" -> ", cycle),
          "break the cycle by removing one of these dependsOn entries");
    }
  }

  /** Depth-first search in declaration order; returns the cycle as a closed path, or null. */
  static List<String> findCycle(List<Component> components, Map<String, Component> byName) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
    for (Component c : components) {
      List<String> path = new ArrayList<>();
      List<String> found = dfs(c.name(), byName, state, path);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static List<String> dfs(String name, Map<String, Component> byName, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(name);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      return cycle;
    }
    state.put(name, 1);
    path.add(name);
    for (String dep : byName.get(name).dependsOn()) {
      List<String> found = dfs(dep, byName, state, path);
      if (found != null) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    state.put(name, 2);
    return null;
  }
}
