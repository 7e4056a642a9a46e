package io.cnai.installer.lifecycle;

import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.installer.kube.Records;
import io.cnai.revision.StackRevision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per component, every object cnai or Helm applied for it (one ConfigMap each in {@value
 * StackRevision#NAMESPACE}): what status checks, and what uninstall removes even when Helm's
 * record is gone.
 */
public final class Inventory {
  public static final String PREFIX = "cnai.inventory.";
  private final Records records;

  public Inventory(Records records) {
    this.records = records;
  }

  public Set<ObjectRef> read(String component) {
    return parse(records.get(PREFIX + component));
  }

  private static Set<ObjectRef> parse(Records.Record r) {
    Set<ObjectRef> out = new LinkedHashSet<>();
    if (r != null && r.data().get("objects") != null) {
      for (String line : r.data().get("objects").split("\n")) {
        if (!line.isBlank()) {
          out.add(ObjectRef.parse(line));
        }
      }
    }
    return out;
  }

  /** The inventories of every component, by component, from one request. */
  public Map<String, Set<ObjectRef>> readAll() {
    Map<String, Set<ObjectRef>> out = new java.util.HashMap<>();
    for (Records.Record r : records.list(Map.of(StackRevision.OWNER_LABEL, StackRevision.OWNER))) {
      if (r.name().startsWith(PREFIX)) {
        out.put(r.name().substring(PREFIX.length()), parse(r));
      }
    }
    return out;
  }

  /** Components with an inventory. */
  public List<String> components() {
    List<String> out = new ArrayList<>();
    for (Records.Record r : records.list(Map.of(StackRevision.OWNER_LABEL, StackRevision.OWNER))) {
      if (r.name().startsWith(PREFIX)) {
        out.add(r.name().substring(PREFIX.length()));
      }
    }
    return out;
  }

  public void write(String component, Collection<ObjectRef> refs) {
    put(PREFIX + component, component, refs);
  }

  private void put(String name, String component, Collection<ObjectRef> refs) {
    StringBuilder b = new StringBuilder();
    for (ObjectRef r : refs) {
      b.append(r.line()).append('\n');
    }
    records.put(new Records.Record(name,
        Map.of(StackRevision.OWNER_LABEL, StackRevision.OWNER, Applier.COMPONENT_LABEL, component), null, Map.of("objects", b.toString())));
  }

  public void delete(String component) {
    records.delete(PREFIX + component);
    records.delete(HOOKS + component);
  }

  /** Helm hooks of a component: kept apart, since Helm deletes some itself (they are not checked for presence). */
  public static final String HOOKS = "cnai.hooks.";

  public Set<ObjectRef> readHooks(String component) {
    return parse(records.get(HOOKS + component));
  }

  public void deleteHooks(String component) {
    records.delete(HOOKS + component);
  }

  public void writeHooks(String component, Collection<ObjectRef> refs) {
    if (refs.isEmpty() && records.get(HOOKS + component) == null) {
      return;
    }
    put(HOOKS + component, component, refs);
  }
}
