package io.cnai.installer.lifecycle;

import io.cnai.installer.plan.Canonical;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.ComponentRevision;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Comparisons of component specs between a deployed revision and a plan. */
final class Specs {
  private Specs() {}

  /**
   * Whether two sets of specs install the same thing (names, namespaces, digests, values). The plan
   * digest is not compared: it covers the target's facts, which an install itself changes (new APIs).
   */
  static boolean same(List<ComponentSpec> a, List<ComponentSpec> b) {
    java.util.function.Function<List<ComponentSpec>, Set<String>> key = l -> new TreeSet<>(
        l.stream().map(s -> s.name() + "|" + s.namespace() + "|" + s.digest() + "|" + s.valuesDigest() + "|" + s.wave()).toList());
    return key.apply(a).equals(key.apply(b));
  }

  /** What changes from {@code from} to {@code to}: components added and removed, versions, values. */
  static List<String> diff(List<ComponentSpec> from, List<ComponentSpec> to) {
    Map<String, ComponentSpec> a = new LinkedHashMap<>();
    from.forEach(s -> a.put(s.name(), s));
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ComponentSpec s : to) {
      seen.add(s.name());
      ComponentSpec o = a.get(s.name());
      if (o == null) {
        out.add("+ " + s.name() + " " + s.reference() + " (added)");
        continue;
      }
      if (!o.version().equals(s.version()) || !o.digest().equals(s.digest())) {
        out.add("~ " + s.name() + " " + o.version() + " -> " + s.version() + (o.version().equals(s.version()) ? " (new digest)" : ""));
      }
      if (!o.valuesDigest().equals(s.valuesDigest())) {
        out.add("~ " + s.name() + " values " + Canonical.json(o.values()) + " -> " + Canonical.json(s.values()));
      }
    }
    for (ComponentSpec o : from) {
      if (!seen.contains(o.name())) {
        out.add("- " + o.name() + " " + o.reference() + " (removed)");
      }
    }
    return out;
  }

  /** Whether the deployed revision has exactly the plan's components, digests and values. */
  static boolean deployedAsPlanned(RevisionStore.Stored last, List<ComponentSpec> planned) {
    if (last.specs().size() != planned.size()) {
      return false;
    }
    Map<String, ComponentRevision> prev = byName(last.revision());
    for (ComponentSpec s : planned) {
      ComponentRevision c = prev.get(s.name());
      if (c == null || !s.digest().equals(c.digest()) || !s.valuesDigest().equals(c.valuesDigest())) {
        return false;
      }
    }
    return true;
  }

  static Map<String, Object> values(List<ComponentSpec> specs) {
    Map<String, Object> m = new TreeMap<>();
    specs.forEach(s -> m.put(s.name(), s.values()));
    return m;
  }

  static Map<String, ComponentRevision> byName(StackRevision r) {
    Map<String, ComponentRevision> m = new LinkedHashMap<>();
    r.components().forEach(c -> m.put(c.name(), c));
    return m;
  }

  /** Items grouped by wave, first wave first. */
  static List<List<Deployer.Item>> waves(List<Deployer.Item> items) {
    Map<Integer, List<Deployer.Item>> w = new TreeMap<>();
    items.forEach(i -> w.computeIfAbsent(i.spec().wave(), k -> new ArrayList<>()).add(i));
    return new ArrayList<>(w.values());
  }
}
