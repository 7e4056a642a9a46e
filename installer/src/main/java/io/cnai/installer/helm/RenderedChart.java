package io.cnai.installer.helm;

import java.util.List;

/**
 * A rendered chart, split the way cnai applies it.
 *
 * @param crds every CustomResourceDefinition: those in the {@code crds/} folders of the chart and
 *     of its enabled subcharts (not templated, as Helm treats them), then those emitted by templates
 * @param resources all other rendered objects, in Helm's install order
 * @param hooks objects annotated {@code helm.sh/hook} (including {@code test} hooks), in Helm's order;
 *     a hook is never in {@code resources}
 */
public record RenderedChart(List<Manifest> crds, List<Manifest> resources, List<Manifest> hooks) {
  public RenderedChart {
    crds = List.copyOf(crds);
    resources = List.copyOf(resources);
    hooks = List.copyOf(hooks);
  }

  /** Total size of the rendered YAML in characters. */
  public long size() {
    long n = 0;
    for (List<Manifest> l : List.of(crds, resources, hooks)) {
      for (Manifest m : l) {
        n += m.yaml().length();
      }
    }
    return n;
  }
}
