package io.cnai.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Strict reading of one YAML mapping: every field read is remembered, and {@link #done()} refuses
 * any field nobody read (unknown fields are errors, with a "did you mean").
 */
public final class Fields {
  private final YNode.YMap map;
  private final String context;
  private final Set<String> read = new LinkedHashSet<>();

  private Fields(YNode.YMap map, String context) {
    this.map = map;
    this.context = context;
  }

  /** Starts reading {@code node}, which must be a mapping; {@code context} names it in errors. */
  public static Fields of(YNode node, String context) {
    return new Fields(asMap(node, context), context);
  }

  public YNode.YMap node() {
    return map;
  }

  public String context() {
    return context;
  }

  public Location location() {
    return map.location();
  }

  /** Location of a key, or of the mapping when the key is absent. */
  public Location keyLocation(String key) {
    YNode.Entry e = map.entries().get(key);
    return e == null ? map.location() : e.keyLocation();
  }

  public Optional<YNode> optional(String key) {
    read.add(key);
    YNode n = map.get(key);
    if (n instanceof YNode.YScalar s && s.type() == YNode.ScalarType.NULL) {
      return Optional.empty();
    }
    return Optional.ofNullable(n);
  }

  public YNode required(String key) {
    return optional(key)
        .orElseThrow(
            () ->
                CnaiException.badInput(
                    map.location(),
                    context + ": missing required field '" + key + "'",
                    "add '" + key + ":' to " + context));
  }

  public String string(String key) {
    return asString(required(key), context + "." + key);
  }

  public Optional<String> optString(String key) {
    return optional(key).map(n -> asString(n, context + "." + key));
  }

  public Optional<Boolean> optBool(String key) {
    return optional(key).map(n -> asBool(n, context + "." + key));
  }

  public Optional<Long> optLong(String key) {
    return optional(key).map(n -> asLong(n, context + "." + key));
  }

  /** A string matching {@code pattern}, else an error that shows what is expected. */
  public String string(String key, Pattern pattern, String expected) {
    YNode n = required(key);
    return matching(n, asString(n, context + "." + key), pattern, context + "." + key, expected);
  }

  public Optional<String> optString(String key, Pattern pattern, String expected) {
    return optional(key)
        .map(n -> matching(n, asString(n, context + "." + key), pattern, context + "." + key, expected));
  }

  /** A list (absent means empty) whose items are read by {@code item}. */
  public <T> List<T> list(String key, Function<YNode, T> item) {
    Optional<YNode> n = optional(key);
    if (n.isEmpty()) {
      return List.of();
    }
    List<T> out = new ArrayList<>();
    for (YNode i : asList(n.get(), context + "." + key).items()) {
      out.add(item.apply(i));
    }
    return List.copyOf(out);
  }

  public List<String> stringList(String key) {
    return list(key, n -> asString(n, context + "." + key + "[]"));
  }

  /** A mapping turned into plain Java values (for free-form content such as Helm values). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> plainMap(String key) {
    Optional<YNode> n = optional(key);
    if (n.isEmpty()) {
      return Map.of();
    }
    return (Map<String, Object>) asMap(n.get(), context + "." + key).toPlain();
  }

  /** Refuses fields that were never read. */
  public void done() {
    for (YNode.Entry e : map.entries().values()) {
      if (!read.contains(e.key())) {
        String suggestion = closest(e.key(), read);
        throw CnaiException.badInput(
            e.keyLocation(),
            context + ": unknown field '" + e.key() + "'",
            suggestion != null
                ? "did you mean '" + suggestion + "'?"
                : "remove it; known fields here: " + String.join(", ", read));
      }
    }
  }

  // ---- node conversions ----

  public static YNode.YMap asMap(YNode node, String what) {
    if (node instanceof YNode.YMap m) {
      return m;
    }
    throw wrongType(node, what, "a mapping");
  }

  public static YNode.YList asList(YNode node, String what) {
    if (node instanceof YNode.YList l) {
      return l;
    }
    throw wrongType(node, what, "a list");
  }

  /** A string; numbers and booleans written without quotes are refused (they change meaning). */
  public static String asString(YNode node, String what) {
    if (node instanceof YNode.YScalar s && s.type() == YNode.ScalarType.STRING) {
      return s.text();
    }
    if (node instanceof YNode.YScalar s && (s.type() == YNode.ScalarType.INT || s.type() == YNode.ScalarType.FLOAT)) {
      throw CnaiException.badInput(
          node.location(),
          what + " must be a string, got the number " + s.text(),
          "quote it: \"" + s.text() + "\"");
    }
    throw wrongType(node, what, "a string");
  }

  public static boolean asBool(YNode node, String what) {
    if (node instanceof YNode.YScalar s && s.type() == YNode.ScalarType.BOOL) {
      return Boolean.parseBoolean(s.text().toLowerCase(java.util.Locale.ROOT));
    }
    throw wrongType(node, what, "true or false");
  }

  public static long asLong(YNode node, String what) {
    if (node instanceof YNode.YScalar s && s.type() == YNode.ScalarType.INT) {
      Object v = s.toPlain();
      if (v instanceof Long l) {
        return l;
      }
    }
    throw wrongType(node, what, "a whole number");
  }

  private static String matching(YNode n, String value, Pattern p, String what, String expected) {
    if (!p.matcher(value).matches()) {
      throw CnaiException.badInput(
          n.location(), what + ": '" + value + "' is not " + expected, "write " + expected);
    }
    return value;
  }

  public static CnaiException wrongType(YNode node, String what, String expected) {
    String got = node.describe();
    if (node instanceof YNode.YScalar s && s.type() != YNode.ScalarType.NULL) {
      got += " '" + s.text() + "'";
    }
    return CnaiException.badInput(
        node.location(), what + " must be " + expected + ", got " + got, "write " + expected + " here");
  }

  /** The closest known word within a small edit distance, or null. */
  public static String closest(String word, Iterable<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(word.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(2, word.length() / 3) ? best : null;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
