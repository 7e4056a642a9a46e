package io.cnai.distro;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes digests into a lockfile's text, keeping its comments, order and layout: an existing
 * {@code digest:} value is replaced in place, a missing one is inserted as a new line after the
 * last line of its source (or subchart) mapping, with the same indentation.
 */
public final class LockfileEditor {
  private final String name;
  private String text;

  public LockfileEditor(String name, String text) {
    this.name = name;
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** Sets the digest of a component's source. */
  public void setSourceDigest(String component, String digest) {
    YNode.YMap source = sourceMap(component);
    set(source, digest);
  }

  /** Sets the digest of one subchart of a component. */
  public void setSubchartDigest(String component, String subchart, String digest) {
    YNode.YMap c = component(component);
    YNode subs = c.get("subcharts");
    if (subs != null) {
      for (YNode s : Fields.asList(subs, "subcharts").items()) {
        YNode.YMap m = Fields.asMap(s, "subchart");
        YNode n = m.get("name");
        if (n instanceof YNode.YScalar sc && sc.text().equals(subchart)) {
          set(m, digest);
          return;
        }
      }
    }
    throw CnaiException.failure("component '" + component + "' has no subchart '" + subchart + "' in " + name, "this is a bug in cnai");
  }

  private void set(YNode.YMap map, String digest) {
    if (!DistributionLoader.DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("not a digest: " + digest);
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    YNode.Entry existing = map.entries().get("digest");
    if (existing != null) {
      int line = existing.value().location().line() - 1;
      int col = existing.value().location().column() - 1;
      String l = lines.get(line);
      String rest = l.substring(col);
      int end = rest.indexOf(' ') >= 0 ? rest.indexOf(' ') : rest.length();
      int comma = rest.indexOf(',');
      int brace = rest.indexOf('}');
      for (int stop : new int[] {comma, brace}) {
        if (stop >= 0 && stop < end) {
          end = stop;
        }
      }
      lines.set(line, l.substring(0, col) + digest + rest.substring(end));
    } else {
      YNode.Entry first = map.entries().values().iterator().next();
      if (first.keyLocation().line() == map.location().line() && isFlow(lines.get(map.location().line() - 1), map.location().column() - 1)) {
        // a flow mapping on one line: {name: x, version: y} -> {name: x, version: y, digest: d}
        int line = map.location().line() - 1;
        String l = lines.get(line);
        int close = matchingBrace(l, map.location().column() - 1);
        lines.set(line, l.substring(0, close).stripTrailing() + ", digest: " + digest + l.substring(close));
      } else {
        int indent = first.keyLocation().column() - 1;
        int last = lastLine(map) - 1;
        lines.add(last + 1, " ".repeat(indent) + "digest: " + digest);
      }
    }
    text = String.join("\n", lines);
  }

  /** Index of the '}' closing the flow mapping that opens at {@code open}, skipping quotes. */
  private static int matchingBrace(String line, int open) {
    int depth = 0;
    char quote = 0;
    for (int i = open; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced flow mapping: " + line);
  }

  private static boolean isFlow(String line, int col) {
    return col < line.length() && line.charAt(col) == '{';
  }

  private static int lastLine(YNode node) {
    int max = node.location().line();
    if (node instanceof YNode.YMap m) {
      for (YNode.Entry e : m.entries().values()) {
        max = Math.max(max, Math.max(e.keyLocation().line(), lastLine(e.value())));
      }
    } else if (node instanceof YNode.YList l) {
      for (YNode i : l.items()) {
        max = Math.max(max, lastLine(i));
      }
    } else if (node instanceof YNode.YScalar s) {
      max = Math.max(max, s.location().line() + (int) s.text().chars().filter(ch -> ch == '\n').count());
    }
    return max;
  }

  private YNode.YMap root() {
    return Fields.asMap(Yaml.parse(name, text), "distribution");
  }

  private YNode.YMap component(String component) {
    YNode.YMap spec = Fields.asMap(root().get("spec"), "spec");
    for (YNode c : Fields.asList(spec.get("components"), "spec.components").items()) {
      YNode.YMap m = Fields.asMap(c, "component");
      if (m.get("name") instanceof YNode.YScalar s && s.text().equals(component)) {
        return m;
      }
    }
    throw CnaiException.failure("no component '" + component + "' in " + name, "this is a bug in cnai");
  }

  private YNode.YMap sourceMap(String component) {
    YNode.YMap source = Fields.asMap(component(component).get("source"), "source");
    YNode.Entry only = source.entries().values().iterator().next();
    return Fields.asMap(only.value(), "source." + only.key());
  }
}
