package io.cnai.installer.plan;

import io.cnai.distro.Component;
import io.cnai.distro.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The plan as plain data for JSON and YAML output: one entry per wave with its components. */
public final class PlanView {
  private PlanView() {}

  public static Map<String, Object> of(Plan plan, boolean withValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", Plan.API_VERSION);
    out.put("kind", "Plan");
    out.put("digest", plan.digest());
    out.put("distribution", ordered("name", plan.distribution().name(), "version", plan.distribution().version()));
    out.put("profile", ordered("name", plan.profile().name(), "chain", plan.profile().chain()));
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("kubernetes", plan.target().kubernetes().toString());
    target.put("source", plan.target().source());
    target.put("gpus", plan.target().gpus());
    if (plan.profile().gpu() != null) {
      target.put("gpuSharing", plan.profile().gpu().mode().word);
    }
    if (plan.profile().cloud() != null) {
      target.put("cloud", plan.profile().cloud().provider());
    }
    out.put("target", target);
    List<Object> waves = new ArrayList<>();
    int i = 1;
    for (List<PlanStep> wave : plan.waves()) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("wave", i++);
      List<Object> comps = new ArrayList<>();
      for (PlanStep s : wave) {
        comps.add(step(s, withValues));
      }
      w.put("components", comps);
      waves.add(w);
    }
    out.put("waves", waves);
    out.put("warnings", plan.warnings());
    return out;
  }

  static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  static Map<String, Object> step(PlanStep s, boolean withValues) {
    Component c = s.component();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("namespace", c.namespace());
    m.put("source", sourceOf(c.source()));
    if (!c.subcharts().isEmpty()) {
      List<Object> subs = new ArrayList<>();
      for (Component.Subchart sc : c.subcharts()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("name", sc.name());
        sm.put("repository", sc.repository());
        sm.put("version", sc.version());
        sm.put("digest", sc.digest());
        subs.add(sm);
      }
      m.put("subcharts", subs);
    }
    m.put("after", s.after());
    m.put("valuesDigest", s.valuesDigest());
    if (withValues) {
      m.put("values", s.values());
    }
    return m;
  }

  public static Map<String, Object> sourceOf(Source src) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", src.type());
    if (src instanceof Source.Helm h) {
      m.put("repository", h.repository());
      m.put("chart", h.chart());
      m.put("version", h.version());
    } else if (src instanceof Source.Manifest mf) {
      m.put("url", mf.url());
    } else if (src instanceof Source.Kustomize k) {
      m.put("repository", k.repository());
      m.put("ref", k.ref());
      m.put("path", k.path());
    }
    m.put("digest", src.digest());
    m.put("locked", src.locked());
    return m;
  }
}
