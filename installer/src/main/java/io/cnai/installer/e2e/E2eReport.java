package io.cnai.installer.e2e;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** What {@code cnai e2e run} found: per pipeline passed, failed or not run (with why), step by step. */
public record E2eReport(List<PipelineResult> pipelines, double seconds) {

  public enum Outcome { PASSED, FAILED, NOT_RUN }

  /** One Job of a pipeline: its {@code RESULT} line's fields, or why it failed (with its log's tail). */
  public record Step(String name, boolean ok, double seconds, Map<String, Object> result, String node, String reason, String logTail) {}

  public record PipelineResult(String name, Outcome outcome, String reason, List<Step> steps, double seconds) {
    public PipelineResult {
      steps = List.copyOf(steps);
    }
  }

  public E2eReport {
    pipelines = List.copyOf(pipelines);
  }

  public long count(Outcome o) {
    return pipelines.stream().filter(p -> p.outcome() == o).count();
  }

  /** 0 when every pipeline that ran passed and at least one ran; 1 otherwise (nothing tested is no pass). */
  public int exitCode() {
    return count(Outcome.FAILED) == 0 && count(Outcome.PASSED) > 0 ? 0 : 1;
  }

  /** A line per pipeline with its steps' timings and figures, and a total. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    for (PipelineResult p : pipelines) {
      switch (p.outcome()) {
        case NOT_RUN -> s.append(String.format(Locale.ROOT, "e2e: %s not run: %s%n", p.name(), p.reason()));
        case PASSED -> s.append(String.format(Locale.ROOT, "e2e: %s passed in %.1f s%n", p.name(), p.seconds()));
        case FAILED -> s.append(String.format(Locale.ROOT, "e2e: %s FAILED in %.1f s: %s%n", p.name(), p.seconds(), p.reason()));
      }
      for (Step st : p.steps()) {
        s.append(String.format(Locale.ROOT, "  %-9s %-6s %6.1f s  %s%n", st.name(), st.ok() ? "ok" : "FAILED", st.seconds(), figures(st)));
        if (!st.ok() && st.logTail() != null && !st.logTail().isBlank()) {
          st.logTail().lines().forEach(l -> s.append("      | ").append(l).append('\n'));
        }
      }
    }
    s.append(String.format(Locale.ROOT, "e2e: %d passed, %d failed, %d not run in %.1f s%n",
        count(Outcome.PASSED), count(Outcome.FAILED), count(Outcome.NOT_RUN), seconds));
    return s.toString();
  }

  private static String figures(Step st) {
    if (!st.ok()) {
      return st.reason() == null ? "" : st.reason();
    }
    Map<String, Object> r = st.result();
    StringBuilder f = new StringBuilder();
    for (String k : List.of("device", "gpu", "accuracy", "seconds_per_epoch", "version", "images", "server", "trials", "train_rows", "online_rows")) {
      if (r.containsKey(k)) {
        Object v = r.get(k);
        f.append(k).append(' ').append(v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : v).append(", ");
      }
    }
    if (st.node() != null) {
      f.append("node ").append(st.node());
    } else if (f.length() > 2) {
      f.setLength(f.length() - 2);
    }
    return f.toString();
  }

  /** JUnit XML: a test case per pipeline, skipped with the reason when not run; steps as properties. */
  public String junitXml() {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", "cnai e2e");
      x.writeAttribute("tests", Integer.toString(pipelines.size()));
      x.writeAttribute("failures", Long.toString(count(Outcome.FAILED)));
      x.writeAttribute("skipped", Long.toString(count(Outcome.NOT_RUN)));
      x.writeAttribute("time", seconds(seconds));
      for (PipelineResult p : pipelines) {
        x.writeCharacters("\n  ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", "cnai.e2e");
        x.writeAttribute("name", p.name());
        x.writeAttribute("time", seconds(p.seconds()));
        if (!p.steps().isEmpty()) {
          x.writeStartElement("properties");
          for (Step st : p.steps()) {
            property(x, st.name() + ".seconds", seconds(st.seconds()));
            for (Map.Entry<String, Object> e : st.result().entrySet()) {
              if (!e.getKey().equals("step")) {
                property(x, st.name() + "." + e.getKey(), String.valueOf(e.getValue()));
              }
            }
          }
          x.writeEndElement();
        }
        if (p.outcome() == Outcome.NOT_RUN) {
          x.writeStartElement("skipped");
          x.writeAttribute("message", "not run: " + p.reason());
          x.writeEndElement();
        } else if (p.outcome() == Outcome.FAILED) {
          x.writeStartElement("failure");
          x.writeAttribute("message", p.reason());
          Step failed = p.steps().stream().filter(st -> !st.ok()).findFirst().orElse(null);
          if (failed != null && failed.logTail() != null) {
            x.writeCharacters(failed.logTail());
          }
          x.writeEndElement();
        }
        x.writeEndElement();
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
    x.writeEmptyElement("property");
    x.writeAttribute("name", name);
    x.writeAttribute("value", value);
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  /** Writes {@code e2e-junit.xml} and {@code e2e-summary.txt} into {@code dir}; returns the XML's path. */
  public Path write(Path dir) {
    try {
      Files.createDirectories(dir);
      Path xml = dir.resolve("e2e-junit.xml");
      Files.writeString(xml, junitXml(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("e2e-summary.txt"), summary(), StandardCharsets.UTF_8);
      return xml;
    } catch (IOException e) {
      throw CnaiException.failure("cannot write the e2e report to " + dir + ": " + e.getMessage(), "check that the folder is writable (--output-dir)");
    }
  }
}
