package io.cnai.installer.plan;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.Values;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * User overrides as in Helm, one level up: '-f values.yaml' whose top-level keys are component
 * names, and '--set component.key=value' whose first path segment names the component. Files
 * apply in order, then every --set, later ones winning.
 */
public final class Overrides {
  private Overrides() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Map<String, Object>> parse(List<Path> valueFiles, List<String> sets) {
    Map<String, Object> all = new LinkedHashMap<>();
    for (Path f : valueFiles) {
      YNode root = Yaml.read(f);
      YNode.YMap map = Fields.asMap(root, "values file " + f);
      for (YNode.Entry e : map.entries().values()) {
        if (!(e.value() instanceof YNode.YMap)) {
          throw CnaiException.badInput(
              e.keyLocation(),
              "values for component '" + e.key() + "' must be a mapping, got " + e.value().describe(),
              "write the component's Helm values under its name, e.g. '" + e.key() + ":\\n  replicas: 2'");
        }
      }
      all = Values.merge(all, (Map<String, Object>) map.toPlain());
    }
    for (String s : sets) {
      all = Values.merge(all, SetParser.parse(s));
    }
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : all.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> m)) {
        throw CnaiException.badInput(
            "--set " + e.getKey() + "=… sets a whole component",
            "name a value inside the component: --set " + e.getKey() + ".some.key=value");
      }
      out.put(e.getKey(), (Map<String, Object>) m);
    }
    return out;
  }

  /** Helm's --set syntax: a.b=c,d[0]=e,list={x,y}; backslash escapes , . = [ { and \\. */
  public static final class SetParser {
    private SetParser() {}

    public static Map<String, Object> parse(String expr) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (String assignment : split(expr, ',', true)) {
        if (assignment.isEmpty()) {
          continue;
        }
        int eq = indexUnescaped(assignment, '=');
        if (eq <= 0) {
          throw CnaiException.badInput(
              "--set '" + expr + "': '" + assignment + "' is not key=value",
              "write --set component.path.to.key=value");
        }
        String key = assignment.substring(0, eq);
        String raw = assignment.substring(eq + 1);
        Object value = raw.startsWith("{") && raw.endsWith("}") ? list(raw) : scalar(unescape(raw));
        put(out, path(key, expr), 0, value, expr);
      }
      return out;
    }

    private static List<Object> list(String raw) {
      List<Object> items = new ArrayList<>();
      String inner = raw.substring(1, raw.length() - 1);
      if (!inner.isEmpty()) {
        for (String item : inner.split(",", -1)) {
          items.add(scalar(item));
        }
      }
      return items;
    }

    /** Path segments; an index "[n]" becomes an Integer segment. */
    private static List<Object> path(String key, String expr) {
      List<Object> segments = new ArrayList<>();
      for (String part : split(key, '.', false)) {
        String p = part;
        List<Integer> indexes = new ArrayList<>();
        while (p.endsWith("]") && p.contains("[")) {
          int open = p.lastIndexOf('[');
          String n = p.substring(open + 1, p.length() - 1);
          try {
            int i = Integer.parseInt(n);
            if (i < 0 || i > 65536) {
              throw new NumberFormatException();
            }
            indexes.add(0, i);
          } catch (NumberFormatException e) {
            throw CnaiException.badInput("--set '" + expr + "': bad list index [" + n + "]", "use a number from 0, e.g. key[0]=value");
          }
          p = p.substring(0, open);
        }
        if (p.isEmpty()) {
          throw CnaiException.badInput("--set '" + expr + "': empty key segment in '" + key + "'", "write dot-separated names, e.g. kueue.controllerManager.replicas=2");
        }
        segments.add(unescape(p));
        segments.addAll(indexes);
      }
      return segments;
    }

    @SuppressWarnings("unchecked")
    private static void put(Object container, List<Object> path, int i, Object value, String expr) {
      Object seg = path.get(i);
      boolean last = i == path.size() - 1;
      if (container instanceof Map<?, ?> m0) {
        Map<String, Object> m = (Map<String, Object>) m0;
        String k = (String) seg;
        if (last) {
          m.put(k, value);
          return;
        }
        Object next = m.get(k);
        boolean wantList = path.get(i + 1) instanceof Integer;
        if (wantList && !(next instanceof List)) {
          next = new ArrayList<>();
          m.put(k, next);
        } else if (!wantList && !(next instanceof Map)) {
          next = new LinkedHashMap<String, Object>();
          m.put(k, next);
        }
        put(next, path, i + 1, value, expr);
      } else {
        List<Object> l = (List<Object>) container;
        int idx = (Integer) seg;
        while (l.size() <= idx) {
          l.add(null);
        }
        if (last) {
          l.set(idx, value);
          return;
        }
        Object next = l.get(idx);
        boolean wantList = path.get(i + 1) instanceof Integer;
        if (wantList && !(next instanceof List)) {
          next = new ArrayList<>();
          l.set(idx, next);
        } else if (!wantList && !(next instanceof Map)) {
          next = new LinkedHashMap<String, Object>();
          l.set(idx, next);
        }
        put(next, path, i + 1, value, expr);
      }
    }

    /** Like Helm: true/false, null, and integers are typed; everything else is a string. */
    static Object scalar(String s) {
      switch (s) {
        case "true":
          return Boolean.TRUE;
        case "false":
          return Boolean.FALSE;
        case "null":
          return null;
        default:
          break;
      }
      if (s.matches("-?(0|[1-9]\\d{0,17})")) {
        return Long.parseLong(s);
      }
      return s;
    }

    private static List<String> split(String s, char sep, boolean keepEscapes) {
      List<String> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      int braces = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          cur.append(c).append(s.charAt(++i));
          continue;
        }
        if (c == '{') {
          braces++;
        } else if (c == '}') {
          braces = Math.max(0, braces - 1);
        }
        if (c == sep && braces == 0) {
          out.add(cur.toString());
          cur.setLength(0);
        } else {
          cur.append(c);
        }
      }
      out.add(cur.toString());
      return out;
    }

    private static int indexUnescaped(String s, char c) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == '\\') {
          i++;
        } else if (s.charAt(i) == c) {
          return i;
        }
      }
      return -1;
    }

    private static String unescape(String s) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          sb.append(s.charAt(++i));
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }
}
