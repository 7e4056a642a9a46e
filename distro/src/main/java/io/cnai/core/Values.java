package io.cnai.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helm-style values: deep merge where maps merge, everything else replaces, null deletes. */
public final class Values {
  private Values() {}

  /** Returns a new map: {@code base} overlaid with {@code overlay}. Inputs are not changed. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
    Map<String, Object> out = deepCopy(base);
    for (Map.Entry<String, Object> e : overlay.entrySet()) {
      Object o = e.getValue();
      Object b = out.get(e.getKey());
      if (o == null) {
        out.remove(e.getKey());
      } else if (o instanceof Map<?, ?> om && b instanceof Map<?, ?> bm) {
        out.put(e.getKey(), merge((Map<String, Object>) bm, (Map<String, Object>) om));
      } else {
        out.put(e.getKey(), deepCopyValue(o));
      }
    }
    return out;
  }

  public static Map<String, Object> deepCopy(Map<String, Object> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, deepCopyValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object deepCopyValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return deepCopy((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(i -> out.add(deepCopyValue(i)));
      return out;
    }
    return v;
  }
}
