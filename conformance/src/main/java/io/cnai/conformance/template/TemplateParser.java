package io.cnai.conformance.template;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a checklist template. It is the program's file, so fields cnai does not use are ignored
 * (the program may add some); what cnai needs is required, with file:line:column when missing:
 * {@code metadata.kubernetesVersion} ("v1.36") and, per {@code spec} category, a list of
 * requirements with string {@code id}, {@code description} and {@code level}.
 */
public final class TemplateParser {
  static final Pattern VERSION = Pattern.compile("v?(1\\.\\d{1,3})");
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");
  static final String HINT = "pass --template with the program's checklist template (docs/AIConformance-1.NN.yaml "
      + "in the repository cncf/k8s-ai-conformance), unchanged";

  private TemplateParser() {}

  public static Template parse(String source, byte[] bytes) {
    YNode root = Yaml.parse(source, bytes);
    YNode.YMap top = map(root, "the template");
    YNode.YMap meta = map(need(top, "metadata", "the template"), "metadata");
    Map<String, String> metadata = new LinkedHashMap<>();
    for (YNode.Entry e : meta.entries().values()) {
      YNode v = e.value();
      if (v instanceof YNode.YScalar s) {
        metadata.put(e.key(), s.type() == YNode.ScalarType.NULL ? "" : s.text());
      } else {
        throw CnaiException.badInput(v.location(), "metadata." + e.key() + " must be a string, got " + v.describe(), HINT);
      }
    }
    YNode kv = need(meta, "kubernetesVersion", "metadata");
    String kubernetesVersion = kv instanceof YNode.YScalar s ? s.text() : "";
    Matcher m = VERSION.matcher(kubernetesVersion);
    if (!m.matches()) {
      throw CnaiException.badInput(kv.location(),
          "metadata.kubernetesVersion must be a Kubernetes minor version such as v1.36, got '" + kubernetesVersion + "'", HINT);
    }
    YNode.YMap spec = map(need(top, "spec", "the template"), "spec");
    List<TemplateRequirement> reqs = new ArrayList<>();
    Map<String, YNode> seen = new HashMap<>();
    for (YNode.Entry cat : spec.entries().values()) {
      YNode.YList items = Fields.asList(cat.value(), "spec." + cat.key());
      for (YNode item : items.items()) {
        String where = "spec." + cat.key() + "[]";
        YNode.YMap im = map(item, where);
        String id = string(im, "id", where);
        if (!ID.matcher(id).matches()) {
          throw CnaiException.badInput(im.get("id").location(), where + ".id '" + id + "' is not an identifier", HINT);
        }
        if (seen.containsKey(id)) {
          throw CnaiException.badInput(im.get("id").location(),
              "requirement id '" + id + "' is listed twice (first at " + seen.get(id).location() + ")", HINT);
        }
        seen.put(id, im.get("id"));
        reqs.add(new TemplateRequirement(cat.key(), id, string(im, "description", where + " " + id),
            string(im, "level", where + " " + id)));
      }
    }
    if (reqs.isEmpty()) {
      throw CnaiException.badInput(spec.location(), "the template lists no requirement under spec", HINT);
    }
    return new Template(m.group(1), source, sha256(bytes), metadata, reqs);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static YNode need(YNode.YMap m, String key, String what) {
    YNode n = m.get(key);
    if (n == null) {
      throw CnaiException.badInput(m.location(), what + ": missing '" + key + "'", HINT);
    }
    return n;
  }

  private static YNode.YMap map(YNode n, String what) {
    if (n instanceof YNode.YMap m) {
      return m;
    }
    throw CnaiException.badInput(n.location(), what + " must be a mapping, got " + n.describe(), HINT);
  }

  private static String string(YNode.YMap m, String key, String what) {
    YNode n = need(m, key, what);
    if (n instanceof YNode.YScalar s && s.type() != YNode.ScalarType.NULL && !s.text().isBlank()) {
      return s.text();
    }
    throw CnaiException.badInput(n.location(), what + "." + key + " must be a non-empty string, got " + n.describe(), HINT);
  }
}
