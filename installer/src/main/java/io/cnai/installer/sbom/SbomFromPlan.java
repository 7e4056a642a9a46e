package io.cnai.installer.sbom;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cnai.core.CnaiException;
import io.cnai.distro.Component;
import io.cnai.distro.Source;
import io.cnai.installer.helm.Manifest;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.plan.Canonical;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.PlanStep;
import io.cnai.installer.render.StackRenderer;
import io.cnai.sbom.CycloneDxSbom;
import io.cnai.sbom.ImageRef;
import io.cnai.sbom.SbomInput;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SBOM of a plan: renders it (every chart, subchart and manifest is fetched and verified
 * first), collects every container image of the rendered objects and of the lockfile, and hands a
 * plain {@link SbomInput} to {@link CycloneDxSbom}.
 */
public final class SbomFromPlan {
  private static final ObjectMapper YAML = io.cnai.installer.json.Mappers.YAML;
  private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");

  private final StackRenderer renderer;
  private final Clock clock;

  public SbomFromPlan(StackRenderer renderer, Clock clock) {
    this.renderer = renderer;
    this.clock = clock;
  }

  /**
   * @param input what went into the SBOM
   * @param json the validated CycloneDX 1.6 JSON
   * @param warnings image values that are not image references (skipped)
   */
  public record Result(SbomInput input, String json, List<String> warnings) {}

  /** One image found in a rendered object. */
  public record ImageUse(String reference, String foundIn) {}

  public Result build(Plan plan) {
    StackRenderer.RenderedStack stack = renderer.render(plan);
    List<String> warnings = new ArrayList<>(mutableImages(stack));
    List<SbomInput.StackComponent> components = new ArrayList<>();
    for (StackRenderer.RenderedComponent rc : stack.components()) {
      PlanStep step = rc.step();
      Component c = step.component();
      Map<String, List<String>> images = new LinkedHashMap<>();
      for (ImageUse use : images(c.namespace(), rc.rendered())) {
        if (ImageRef.parseOrNull(use.reference()) == null) {
          warnings.add("component '" + c.name() + "': " + use.foundIn() + " has image '" + use.reference()
              + "', which is not an image reference; left out of the SBOM");
          continue;
        }
        images.computeIfAbsent(use.reference(), k -> new ArrayList<>()).add(use.foundIn());
      }
      for (Component.Image i : c.images()) {
        String ref = i.digest() != null && !i.reference().contains("@") ? i.reference() + "@" + i.digest() : i.reference();
        images.computeIfAbsent(ref, k -> new ArrayList<>()).add("lockfile");
      }
      components.add(
          new SbomInput.StackComponent(
              c.name(),
              "-".equals(c.source().version()) ? null : c.source().version(),
              c.namespace(),
              c.source().type(),
              location(c.source()),
              artifacts(c, rc),
              images.entrySet().stream().map(e -> new SbomInput.Image(e.getKey(), e.getValue())).toList(),
              List.of(),
              step.after()));
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put("cnai:profile", plan.profile().name());
    props.put("cnai:plan-digest", plan.digest());
    props.put("cnai:kubernetes", plan.target().kubernetes().toString());
    if (plan.distribution().file() != null && Files.isRegularFile(plan.distribution().file())) {
      try {
        props.put("cnai:distribution-sha256", Canonical.sha256(Files.readAllBytes(plan.distribution().file())));
      } catch (IOException e) {
        warnings.add("cannot read " + plan.distribution().file() + " to record its digest: " + e.getMessage());
      }
    }
    SbomInput input =
        new SbomInput(plan.distribution().name(), plan.distribution().version(), plan.distribution().description(),
            clock.instant(), components, props);
    return new Result(input, CycloneDxSbom.json(input), warnings);
  }

  /**
   * One warning per component and image named by a mutable tag ({@code :latest}, or no tag) without
   * a digest, in the rendered objects or the lockfile: what such an image runs can change while the
   * plan, its digest and the SBOM stay the same. 'cnai render' and 'cnai sbom' print them.
   */
  public static List<String> mutableImages(StackRenderer.RenderedStack stack) {
    List<String> out = new ArrayList<>();
    for (StackRenderer.RenderedComponent rc : stack.components()) {
      Component c = rc.step().component();
      Map<String, List<String>> uses = new LinkedHashMap<>();
      for (ImageUse use : images(c.namespace(), rc.rendered())) {
        ImageRef ref = ImageRef.parseOrNull(use.reference());
        if (ref != null && ref.mutable()) {
          uses.computeIfAbsent(use.reference(), k -> new ArrayList<>()).add(use.foundIn());
        }
      }
      for (Component.Image i : c.images()) {
        ImageRef ref = ImageRef.parseOrNull(i.reference());
        if (i.digest() == null && ref != null && ref.mutable()) {
          uses.computeIfAbsent(i.reference(), k -> new ArrayList<>()).add("the lockfile");
        }
      }
      uses.forEach((image, where) -> out.add("component '" + c.name() + "': image '" + image + "' ("
          + where.get(0) + (where.size() > 1 ? " and " + (where.size() - 1) + " more" : "")
          + ") has a mutable tag and no digest: what runs can change while the plan and the SBOM stay the same;"
          + " pin it by digest (IMAGE@sha256:...) or to a release tag in the component's values"));
    }
    return out;
  }

  /** Where the source lives, as a URL (Source.reference() is for people and may hold a space). */
  static String location(Source source) {
    if (source instanceof Source.Helm h) {
      return h.oci() ? h.repository() + "/" + h.chart() : h.repository();
    }
    return source.reference();
  }

  private static List<SbomInput.Artifact> artifacts(Component c, StackRenderer.RenderedComponent rc) {
    List<SbomInput.Artifact> out = new ArrayList<>();
    if (c.source() instanceof Source.Helm h) {
      out.add(new SbomInput.Artifact("chart", h.chart(), h.version(), location(h), rc.digest()));
      for (int i = 0; i < c.subcharts().size(); i++) {
        Component.Subchart s = c.subcharts().get(i);
        String digest = i < rc.subchartDigests().size() ? rc.subchartDigests().get(i) : s.digest();
        out.add(new SbomInput.Artifact("subchart", s.name(), s.version(), s.repository(), digest));
      }
    } else {
      String version = "-".equals(c.source().version()) ? null : c.source().version();
      out.add(new SbomInput.Artifact(c.source().type(), c.name(), version, location(c.source()), rc.digest()));
    }
    return out;
  }

  /**
   * Every container image of the rendered objects (resources and hooks; CRDs hold none): the
   * containers, init containers and ephemeral containers of any pod spec, wherever it sits (Pod
   * spec, workload spec.template, CronJob spec.jobTemplate, and custom resources that embed one).
   */
  public static List<ImageUse> images(String defaultNamespace, RenderedChart rendered) {
    List<ImageUse> out = new ArrayList<>();
    List<Manifest> all = new ArrayList<>(rendered.resources());
    all.addAll(rendered.hooks());
    for (Manifest m : all) {
      JsonNode n = parse(m);
      if (n == null) {
        continue;
      }
      String where = m.kind() + " " + (m.namespace() != null ? m.namespace() : defaultNamespace) + "/" + m.name();
      collect(n, where, out);
    }
    return out;
  }

  private static void collect(JsonNode node, String where, List<ImageUse> out) {
    if (node.isObject()) {
      for (String list : CONTAINER_LISTS) {
        JsonNode containers = node.get(list);
        if (containers != null && containers.isArray()) {
          for (JsonNode container : containers) {
            JsonNode image = container.get("image");
            if (image != null && image.isTextual()) {
              out.add(new ImageUse(image.asText(), where));
            }
          }
        }
      }
      node.fields().forEachRemaining(e -> {
        if (!CONTAINER_LISTS.contains(e.getKey())) {
          collect(e.getValue(), where, out);
        }
      });
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        collect(item, where, out);
      }
    }
  }

  private static JsonNode parse(Manifest m) {
    try (JsonParser p = YAML.getFactory().createParser(m.yaml())) {
      MappingIterator<JsonNode> it = YAML.readValues(p, JsonNode.class);
      return it.hasNext() ? it.next() : null;
    } catch (IOException e) {
      throw CnaiException.failure(
          m.id() + " as rendered is not valid YAML: " + e.getMessage(), "check the chart's templates and values");
    }
  }
}
