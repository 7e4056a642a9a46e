package io.cnai.installer.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cnai.core.CnaiException;
import io.cnai.distro.Component;
import io.cnai.distro.Distribution;
import io.cnai.distro.KubeVersion;
import io.cnai.installer.helm.Manifest;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.plan.Canonical;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.PlanStep;
import io.cnai.installer.plan.TargetFacts;
import io.cnai.installer.render.StackRenderer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a lockfile's {@code provides.crds} against what its components render: every API group a
 * component says it provides must have a CustomResourceDefinition in its render (CRDs of the chart,
 * of its enabled subcharts, of its templates and hooks, or of its manifests), and every kind listed
 * for that group must be one of them. A lockfile that promises CRDs its source does not carry
 * makes the planner order components after a provider that installs nothing.
 */
public final class ProvidedCrds {
  private static final ObjectMapper YAML = io.cnai.installer.json.Mappers.YAML;

  private ProvidedCrds() {}

  /** One promise of the lockfile its render does not keep; {@code kind} null: no CRD of the group at all. */
  public record Missing(String component, String group, String kind) {
    public String describe() {
      return kind == null ? group + " (no CRD of this group at all)" : group + "/" + kind;
    }
  }

  /**
   * @param checked components rendered and checked
   * @param missing what they promise and do not render
   * @param notChecked components that could not be fetched or rendered, with why
   */
  public record Result(List<String> checked, List<Missing> missing, Map<String, String> notChecked) {}

  /** What of {@code c}'s provides.crds is not among the CRDs of {@code rendered}. */
  public static List<Missing> missing(Component c, RenderedChart rendered) {
    Map<String, Set<String>> kindsByGroup = new LinkedHashMap<>();
    List<Manifest> all = new ArrayList<>(rendered.crds());
    all.addAll(rendered.hooks());
    all.addAll(rendered.resources());
    for (Manifest m : all) {
      if (!m.isCrd()) {
        continue;
      }
      JsonNode spec = parse(m).path("spec");
      kindsByGroup.computeIfAbsent(spec.path("group").asText(""), g -> new LinkedHashSet<>()).add(spec.path("names").path("kind").asText(""));
    }
    List<Missing> out = new ArrayList<>();
    for (Component.CrdGroup g : c.provides().crds()) {
      Set<String> kinds = kindsByGroup.get(g.group());
      if (kinds == null) {
        out.add(new Missing(c.name(), g.group(), null));
        continue;
      }
      for (String k : g.kinds()) {
        if (!kinds.contains(k)) {
          out.add(new Missing(c.name(), g.group(), k));
        }
      }
    }
    return out;
  }

  /**
   * Renders each component of {@code d} that provides CRDs (all of them when {@code only} is
   * empty, else those named), with the lockfile's values for the newest Kubernetes version the
   * distribution supports, and checks it. A component that cannot be fetched or rendered is
   * reported as not checked; the others are still checked.
   */
  public static Result check(Distribution d, StackRenderer renderer, Set<String> only) {
    KubeVersion kube = d.maxKubernetes() != null ? d.maxKubernetes() : d.minKubernetes() != null ? d.minKubernetes() : new KubeVersion(1, 35, 0);
    TargetFacts facts = new TargetFacts(kube, List.of(), 1, 0, 0, 0, null, List.of(), "the lockfile's provides check");
    List<String> checked = new ArrayList<>();
    List<Missing> missing = new ArrayList<>();
    Map<String, String> notChecked = new LinkedHashMap<>();
    for (Component c : d.components()) {
      if (c.provides().crds().isEmpty() || (!only.isEmpty() && !only.contains(c.name()))) {
        continue;
      }
      PlanStep step = new PlanStep(c, 1, List.of(), c.values(), Canonical.sha256(c.values()));
      try {
        StackRenderer.RenderedStack r = renderer.render(new Plan(d, null, facts, List.of(step), List.of(), "provides-check"));
        missing.addAll(missing(c, r.components().get(0).rendered()));
        checked.add(c.name());
      } catch (CnaiException e) {
        notChecked.put(c.name(), e.problem());
      }
    }
    return new Result(checked, missing, notChecked);
  }

  /** The error for a result with missing CRDs: BAD_INPUT, one line per component and what it lacks. */
  public static CnaiException error(java.nio.file.Path file, List<Missing> missing) {
    Map<String, List<String>> byComponent = new LinkedHashMap<>();
    for (Missing m : missing) {
      byComponent.computeIfAbsent(m.component(), k -> new ArrayList<>()).add(m.describe());
    }
    StringBuilder sb = new StringBuilder(file + ": " + byComponent.size() + " component(s) do not render CRDs the lockfile says they provide:");
    byComponent.forEach((c, what) -> sb.append("\n  - component '").append(c).append("': ").append(String.join(", ", what)));
    return CnaiException.badInput(sb.toString(),
        "point the component's source at the manifests that hold those CRDs (for kustomize: a path whose kustomization includes "
            + "the cluster-scoped resources), enable them in its values, or remove them from 'provides'");
  }

  private static JsonNode parse(Manifest m) {
    try {
      JsonNode n = YAML.readTree(m.yaml());
      return n == null ? YAML.createObjectNode() : n;
    } catch (IOException e) {
      throw CnaiException.failure(m.id() + " as rendered is not valid YAML: " + e.getMessage(), "check the chart's templates and values");
    }
  }
}
