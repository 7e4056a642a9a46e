package io.cnai.installer.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Splitting a rendered YAML stream into objects. */
public final class Manifests {
  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(?:#.*)?$");

  private Manifests() {}

  /** The non-empty YAML documents of a stream, trimmed to end with one line break; {@code source} names it in errors. */
  static List<String> documents(String stream, String source) {
    List<String> out = new ArrayList<>();
    if (source.endsWith(".json") && stream.trim().startsWith("{")) {
      out.add(stream.trim());
      return out;
    }
    for (String doc : SEPARATOR.split(stream)) {
      if (hasContent(doc)) {
        // the final line break stays: a block scalar that ends the document keeps its newline
        out.add(doc.strip() + "\n");
      }
    }
    return out;
  }

  /** The objects of a YAML stream (e.g. a Helm release's stored manifest), empty documents left out. */
  public static List<Manifest> split(String stream, String source) {
    List<Manifest> out = new ArrayList<>();
    for (String doc : documents(stream, source)) {
      Manifest m = parse(doc, source);
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  private static boolean hasContent(String doc) {
    for (String line : doc.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#") && !t.equals("...")) {
        return true;
      }
    }
    return false;
  }

  /** One parsed document: the object and whether it carries the {@code helm.sh/hook} annotation. */
  record Parsed(Manifest manifest, boolean hook) {}

  /** Reads kind, apiVersion, name and namespace of one document; an empty object gives null. */
  static Manifest parse(String doc, String chart) {
    Parsed p = read(doc, chart);
    return p == null ? null : p.manifest();
  }

  /** Parses the whole document (so invalid YAML anywhere in it is caught); an empty one gives null. */
  static Parsed read(String doc, String chart) {
    JsonNode n;
    try {
      n = ChartWorkspace.YAML.readTree(doc);
    } catch (IOException e) {
      throw CnaiException.failure(
          "chart " + chart + " rendered a document that is not valid YAML (" + firstLine(e.getMessage()) + "):\n"
              + head(doc),
          "fix the chart or the values that feed this template");
    }
    if (n == null || n.isNull() || n.isMissingNode() || (n.isObject() && n.isEmpty())) {
      return null;
    }
    if (!n.isObject()) {
      throw CnaiException.failure(
          "chart " + chart + " rendered a document that is not a Kubernetes object:\n" + head(doc),
          "fix the chart or the values that feed this template");
    }
    String kind = n.path("kind").asText(null);
    String apiVersion = n.path("apiVersion").asText(null);
    JsonNode meta = n.path("metadata");
    String name = meta.path("name").asText(null);
    if (kind == null || apiVersion == null) {
      throw CnaiException.failure(
          "chart " + chart + " rendered an object without kind or apiVersion:\n" + head(doc),
          "fix the chart or the values that feed this template");
    }
    String namespace = meta.path("namespace").isTextual() ? meta.path("namespace").asText() : null;
    boolean hook = meta.path("annotations").has(TemplateRewrites.HOOK);
    return new Parsed(new Manifest(apiVersion, kind, namespace, name, doc), hook);
  }

  private static String head(String doc) {
    String[] lines = doc.split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(8, lines.length); i++) {
      sb.append("    ").append(lines[i]).append('\n');
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.split("\n")[0];
  }
}
