package io.cnai.installer.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Progress printers: live per-component lines on a terminal, timestamped lines, JSON events. */
public final class ProgressPrinters {
  private ProgressPrinters() {}

  /** {@code 2026-11-28T16:30:00.123Z certs APPLY helm upgrade --install certs 1.4.0} */
  public static Progress plain(PrintWriter out, Clock clock) {
    return (c, p, m) -> {
      synchronized (out) {
        out.println(clock.instant() + " " + (c == null ? "stack" : c) + " " + p + (m == null || m.isEmpty() ? "" : " " + m));
        out.flush();
      }
    };
  }

  /** One JSON object per line: time, component, phase, message. */
  public static Progress json(PrintWriter out, Clock clock) {
    ObjectMapper mapper = io.cnai.installer.json.Mappers.JSON;
    return (c, p, m) -> {
      ObjectNode n = mapper.createObjectNode();
      n.put("time", clock.instant().toString());
      n.put("component", c);
      n.put("phase", p.name().toLowerCase(java.util.Locale.ROOT));
      n.put("message", m);
      synchronized (out) {
        out.println(n.toString());
        out.flush();
      }
    };
  }

  /** Redraws one line per component in place (ANSI); stack-level events are printed above. */
  public static Progress terminal(PrintWriter out, Clock clock) {
    Map<String, String> lines = new LinkedHashMap<>();
    int[] drawn = {0};
    return (c, p, m) -> {
      synchronized (out) {
        if (drawn[0] > 0) {
          out.print("\u001b[" + drawn[0] + "F\u001b[J");
        }
        if (c == null) {
          out.println(clock.instant() + " " + p + " " + m);
        } else {
          lines.put(c, String.format("  %-24s %-6s %s", c, p, m == null ? "" : m));
        }
        lines.values().forEach(out::println);
        drawn[0] = lines.size();
        out.flush();
      }
    };
  }
}
