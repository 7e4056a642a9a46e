package io.cnai.installer.plan;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Canonical JSON (sorted keys, no spaces) and its sha256: how cnai stamps plans and values. Written
 * here, without a JSON library, so that the planner stays library-free: maps and records are
 * written with their keys sorted, lists in order, strings escaped as JSON requires. The output is
 * byte for byte what a JSON library sorting keys writes (CanonicalTest checks that), because
 * digests of earlier plans and values are stored in clusters.
 */
public final class Canonical {
  private Canonical() {}

  public static String json(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  public static String sha256(Object value) {
    return sha256(json(value).getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(StringBuilder out, Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(out, s);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof java.math.BigInteger) {
      out.append(v);
    } else if (v instanceof Double d) {
      number(out, d);
    } else if (v instanceof Float f) {
      number(out, f.doubleValue() == f ? f.doubleValue() : Double.parseDouble(f.toString()));
    } else if (v instanceof java.math.BigDecimal b) {
      out.append(b.toString());
    } else if (v instanceof Enum<?> e) {
      string(out, e.name());
    } else if (v instanceof Optional<?> o) {
      write(out, o.orElse(null));
    } else if (v instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
      object(out, sorted);
    } else if (v instanceof Collection<?> c) {
      array(out, new ArrayList<>(c));
    } else if (v instanceof Object[] a) {
      array(out, List.of(a));
    } else if (v.getClass().isRecord()) {
      Map<String, Object> fields = new TreeMap<>();
      for (RecordComponent rc : v.getClass().getRecordComponents()) {
        try {
          rc.getAccessor().setAccessible(true);
          fields.put(rc.getName(), rc.getAccessor().invoke(v));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + v.getClass().getName() + "." + rc.getName(), e);
        }
      }
      object(out, fields);
    } else if (v instanceof CharSequence || v instanceof java.nio.file.Path || v instanceof java.net.URI || v instanceof Character) {
      string(out, v.toString());
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as canonical JSON");
    }
  }

  private static void object(StringBuilder out, Map<String, Object> sorted) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, e.getKey());
      out.append(':');
      write(out, e.getValue());
    }
    out.append('}');
  }

  private static void array(StringBuilder out, List<?> items) {
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(out, items.get(i));
    }
    out.append(']');
  }

  private static void number(StringBuilder out, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      string(out, Double.toString(d));
    } else {
      out.append(Double.toString(d));
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
