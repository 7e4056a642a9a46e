package io.cnai.installer.lifecycle;

import io.cnai.distro.Component;
import io.cnai.distro.Source;
import io.cnai.installer.plan.PlanStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to apply one component again, with nothing but the cluster and the chart cache:
 * stored with each stack revision so that rollback re-applies exactly what was applied.
 *
 * @param type {@code helm}, {@code manifest} or {@code kustomize}
 * @param repository chart repository, or the kustomize git repository
 * @param chart chart name, or the kustomize path
 * @param version chart version, or the kustomize ref
 * @param url manifest URL
 * @param digest the digest verified when it was applied (never null once applied)
 */
public record ComponentSpec(
    String name,
    String namespace,
    int wave,
    List<String> after,
    String type,
    String repository,
    String chart,
    String version,
    String url,
    String digest,
    boolean locked,
    List<Sub> subcharts,
    Map<String, Object> values,
    String valuesDigest) {

  public ComponentSpec {
    after = List.copyOf(after);
    subcharts = List.copyOf(subcharts);
  }

  public record Sub(String name, String repository, String version, String digest) {}

  public boolean helm() {
    return "helm".equals(type);
  }

  /** The spec of a planned step, with the digests actually fetched. */
  public static ComponentSpec of(PlanStep step, String digest, List<String> subchartDigests) {
    Component c = step.component();
    List<Sub> subs = new ArrayList<>();
    for (int i = 0; i < c.subcharts().size(); i++) {
      Component.Subchart s = c.subcharts().get(i);
      subs.add(new Sub(s.name(), s.repository(), s.version(), i < subchartDigests.size() ? subchartDigests.get(i) : s.digest()));
    }
    boolean locked = c.source().locked();
    if (c.source() instanceof Source.Helm h) {
      return new ComponentSpec(c.name(), c.namespace(), step.wave(), step.after(), "helm",
          h.repository(), h.chart(), h.version(), null, digest, locked, subs, step.values(), step.valuesDigest());
    }
    if (c.source() instanceof Source.Manifest m) {
      return new ComponentSpec(c.name(), c.namespace(), step.wave(), step.after(), "manifest",
          null, null, m.version(), m.url(), digest, locked, subs, step.values(), step.valuesDigest());
    }
    Source.Kustomize k = (Source.Kustomize) c.source();
    return new ComponentSpec(c.name(), c.namespace(), step.wave(), step.after(), "kustomize",
        k.repository(), k.path(), k.ref(), null, digest, locked, subs, step.values(), step.valuesDigest());
  }

  /** The source, pinned to the digest that was verified. */
  public Source source() {
    return switch (type) {
      case "helm" -> new Source.Helm(repository, chart, version, digest);
      case "manifest" -> new Source.Manifest(url, digest);
      default -> new Source.Kustomize(repository, version, chart, digest);
    };
  }

  /** A plan step for this spec (for the renderer), pinned to the recorded digests. */
  public PlanStep step() {
    List<Component.Subchart> subs = subcharts.stream()
        .map(s -> new Component.Subchart(s.name(), s.repository(), s.version(), s.digest(), null)).toList();
    Component c = new Component(name, null, namespace, source(), subs, List.of(), List.of(), Component.Provides.none(),
        List.of(), null, values, List.of(), null, null, null);
    return new PlanStep(c, wave, after, values, valuesDigest);
  }

  /** What a user reads: chart@version, or the URL. */
  public String reference() {
    return helm() ? chart + "@" + version : url != null ? url : repository + "//" + chart + "?ref=" + version;
  }
}
