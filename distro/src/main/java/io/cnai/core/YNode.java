package io.cnai.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node that remembers where it came from, so that every error about the document can name
 * file, line and column.
 */
public sealed interface YNode permits YNode.YMap, YNode.YList, YNode.YScalar {

  Location location();

  /** Words for error messages: "a mapping", "a list", "a string", "a number" ... */
  String describe();

  /** The node as plain Java values: Map, List, String, Long, Double, Boolean or null. */
  Object toPlain();

  /** One key of a mapping, with where the key itself stands. */
  record Entry(String key, Location keyLocation, YNode value) {}

  record YMap(Location location, Map<String, Entry> entries) implements YNode {
    public YMap {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String describe() {
      return "a mapping";
    }

    @Override
    public Object toPlain() {
      Map<String, Object> out = new LinkedHashMap<>();
      entries.forEach((k, e) -> out.put(k, e.value().toPlain()));
      return out;
    }

    public YNode get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : e.value();
    }
  }

  record YList(Location location, List<YNode> items) implements YNode {
    public YList {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }

    @Override
    public Object toPlain() {
      List<Object> out = new ArrayList<>(items.size());
      for (YNode item : items) {
        out.add(item.toPlain());
      }
      return out;
    }
  }

  /** A scalar with the type that YAML's core schema resolves for it. */
  record YScalar(Location location, String text, ScalarType type) implements YNode {
    @Override
    public String describe() {
      return switch (type) {
        case STRING -> "a string";
        case INT, FLOAT -> "a number";
        case BOOL -> "a boolean";
        case NULL -> "null";
      };
    }

    @Override
    public Object toPlain() {
      return switch (type) {
        case STRING -> text;
        case INT -> parseInt(text);
        case FLOAT -> parseFloat(text);
        case BOOL -> Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
        case NULL -> null;
      };
    }

    private static Object parseInt(String text) {
      String t = text.replace("_", "");
      try {
        if (t.startsWith("0x")) {
          return Long.parseLong(t.substring(2), 16);
        }
        if (t.startsWith("0o")) {
          return Long.parseLong(t.substring(2), 8);
        }
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        return new java.math.BigInteger(t);
      }
    }

    private static Object parseFloat(String text) {
      String t = text.toLowerCase(java.util.Locale.ROOT);
      return switch (t) {
        case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
        case "-.inf" -> Double.NEGATIVE_INFINITY;
        case ".nan" -> Double.NaN;
        default -> Double.parseDouble(t);
      };
    }
  }

  enum ScalarType {
    STRING,
    INT,
    FLOAT,
    BOOL,
    NULL
  }
}
