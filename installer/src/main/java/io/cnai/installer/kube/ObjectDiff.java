package io.cnai.installer.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The fields in which two versions of one object differ, as {@code path: A in the cluster, B as
 * deployed} lines. Bookkeeping that changes on every write (resourceVersion, generation,
 * managedFields) is left out.
 */
public final class ObjectDiff {
  /** At most this many differences are listed per object. */
  public static final int MAX = 5;
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ObjectDiff() {}

  /** How {@code live} differs from {@code expected}; empty when they are the same. */
  public static List<String> diff(GenericKubernetesResource live, GenericKubernetesResource expected) {
    List<String> out = new ArrayList<>();
    Map<String, Object> l = clean(live);
    Map<String, Object> e = clean(expected);
    if (aggregated(l) || aggregated(e)) {
      // the control plane writes the rules of an aggregated ClusterRole itself, whatever was applied
      l.remove("rules");
      e.remove("rules");
    }
    walk("", l, e, out);
    if (out.size() > MAX) {
      int more = out.size() - MAX;
      out = new ArrayList<>(out.subList(0, MAX));
      out.add("and " + more + " more field(s)");
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> clean(GenericKubernetesResource r) {
    Map<String, Object> m = JSON.convertValue(r, Map.class);
    Object meta = m.get("metadata");
    if (meta instanceof Map<?, ?> md) {
      Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) md);
      copy.remove("resourceVersion");
      copy.remove("generation");
      copy.remove("managedFields");
      m.put("metadata", copy);
    }
    return m;
  }

  /** A ClusterRole with an aggregationRule: its rules are filled in by the clusterrole-aggregation controller. */
  static boolean aggregated(Map<String, Object> o) {
    return "ClusterRole".equals(o.get("kind")) && o.get("aggregationRule") instanceof Map<?, ?> rule && !rule.isEmpty();
  }

  /**
   * Fields that controllers are expected to write although charts set them: CA bundles of webhook
   * configurations, APIServices and CRD conversion webhooks, injected by cert-manager's cainjector
   * and operators (charts often ship a placeholder).
   */
  static boolean injected(String path) {
    return path.endsWith(".caBundle") || path.equals("caBundle");
  }

  private static void walk(String path, Object live, Object expected, List<String> out) {
    if (Objects.equals(live, expected) || injected(path)) {
      return;
    }
    if (live instanceof Map<?, ?> a && expected instanceof Map<?, ?> b) {
      TreeSet<String> keys = new TreeSet<>();
      a.keySet().forEach(k -> keys.add(String.valueOf(k)));
      b.keySet().forEach(k -> keys.add(String.valueOf(k)));
      for (String k : keys) {
        walk(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
      }
      return;
    }
    if (live instanceof List<?> a && expected instanceof List<?> b && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        walk(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
      return;
    }
    out.add(path + ": " + show(live) + " in the cluster, " + show(expected) + " as deployed");
  }

  private static String show(Object v) {
    if (v == null) {
      return "absent";
    }
    String s = v instanceof String str ? "'" + str + "'" : JSON.asJson(v);
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
