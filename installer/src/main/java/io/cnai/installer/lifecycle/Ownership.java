package io.cnai.installer.lifecycle;

import io.cnai.installer.helm.Manifest;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.kube.Applier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who owns what cnai applies: the labels and annotations it adds to objects it applies itself, and
 * which chart templates it takes out of Helm's hands (those that render only CRDs).
 */
final class Ownership {
  private Ownership() {}

  private static Map<String, String> labels(ComponentSpec s) {
    return Map.of(Applier.COMPONENT_LABEL, s.name());
  }

  /** The labels and annotations cnai adds to an object it applies itself. */
  record Meta(Map<String, String> labels, Map<String, String> annotations) {}

  /**
   * What cnai adds to an object of component {@code s} when it applies it: CRDs (of every
   * component) and the objects of manifest components. Objects of Helm components other than CRDs
   * are applied by Helm and get nothing (null).
   */
  static Meta meta(ComponentSpec s, boolean crd) {
    if (!crd) {
      return s.helm() ? null : new Meta(labels(s), Map.of());
    }
    // keep: Helm never deletes a CRD that cnai applied (an upgrade that drops it from the chart
    // skips it); CRDs go only with 'cnai uninstall --delete-crds', since their custom resources go with them
    Map<String, String> annotations = s.helm()
        ? Map.of("meta.helm.sh/release-name", s.name(), "meta.helm.sh/release-namespace", s.namespace(), KEEP, "keep")
        : Map.of();
    Map<String, String> labels = new LinkedHashMap<>(labels(s));
    if (s.helm()) {
      labels.put(Applier.MANAGED_BY_LABEL, "Helm");
    }
    return new Meta(labels, annotations);
  }

  /** Helm's resource policy annotation. */
  static final String KEEP = "helm.sh/resource-policy";

  /**
   * The CRD-only templates ({@link #crdOnlyTemplates}) that may be left out of the chart Helm
   * installs: the chart rendered without them must give exactly the other objects it gave with them
   * (a template that also defines named templates others include would break or change that). Decided
   * by rendering, never from template text; when not, none is left out (the CRDs stay in Helm's
   * release, and uninstall still keeps them: they are marked keep in its record).
   */
  static Set<String> droppable(io.cnai.installer.render.StackRenderer renderer, io.cnai.installer.plan.Plan plan,
      io.cnai.installer.plan.PlanStep step, RenderedChart rendered, java.nio.file.Path archive, List<java.nio.file.Path> subcharts) {
    Set<String> drop = crdOnlyTemplates(rendered);
    if (drop.isEmpty() || archive == null) {
      return drop;
    }
    java.nio.file.Path work = null;
    try {
      work = java.nio.file.Files.createTempDirectory("cnai-trim");
      java.nio.file.Path dir = ChartDirs.forHelm(archive, List.of(), drop, work.resolve("chart"));
      java.nio.file.Path trimmed = ChartDirs.pack(dir, work.resolve("trimmed.tgz"));
      RenderedChart without = renderer.renderChart(plan, step, trimmed, subcharts);
      return texts(without.resources()).equals(texts(rendered.resources())) && texts(without.hooks()).equals(texts(rendered.hooks()))
          ? drop : Set.of();
    } catch (io.cnai.core.CnaiException | java.io.IOException e) {
      return Set.of();
    } finally {
      if (work != null) {
        Deployer.deleteTree(work);
      }
    }
  }

  private static List<String> texts(List<Manifest> objects) {
    return objects.stream().map(Manifest::yaml).sorted().toList();
  }

  /**
   * Templates of the chart itself (paths inside the chart) that rendered CRDs and nothing else:
   * cnai applies those CRDs (and keeps them); Helm installs the chart without these templates, so
   * that 'helm uninstall' does not delete the CRDs and with them every custom resource.
   */
  static Set<String> crdOnlyTemplates(RenderedChart rendered) {
    Map<String, Boolean> onlyCrds = new LinkedHashMap<>();
    List<Manifest> all = new ArrayList<>(rendered.crds());
    all.addAll(rendered.resources());
    all.addAll(rendered.hooks());
    for (Manifest m : all) {
      String src = source(m.yaml());
      if (src != null) {
        onlyCrds.merge(src, m.isCrd(), Boolean::logicalAnd);
      }
    }
    Set<String> out = new java.util.TreeSet<>();
    onlyCrds.forEach((src, crd) -> {
      int slash = src.indexOf('/');
      if (crd && slash > 0 && src.startsWith("templates/", slash + 1)) {
        out.add(src.substring(slash + 1));
      }
    });
    return out;
  }

  /** The template a rendered document came from (Helm's {@code # Source: chart/templates/x.yaml}), or null. */
  private static String source(String yaml) {
    for (String line : yaml.split("\n", 4)) {
      if (line.startsWith("# Source: ")) {
        return line.substring("# Source: ".length()).strip();
      }
    }
    return null;
  }

}
