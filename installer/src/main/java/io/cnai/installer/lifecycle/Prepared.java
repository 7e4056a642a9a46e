package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.lifecycle.Progress.Phase;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.PlanStep;
import io.cnai.installer.plan.TargetFacts;
import io.cnai.installer.render.StackRenderer;
import io.cnai.revision.StackRevision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A plan fetched and verified, with its component specs (digests, values); rendered on first use
 * of {@link #items}, which whatever applies calls before it touches the cluster. A no-op upgrade or
 * install (same specs as deployed, nothing drifted) never renders its charts: the drift check
 * compares Helm components with the manifest Helm stored. {@code allowUnverified}: the unlocked
 * parts the user accepted, recorded in the revision.
 */
final class Prepared {
  private final StackContext ctx;
  private final Plan plan;
  private final List<ComponentSpec> specs;
  private final List<StackRenderer.Fetched> fetched;
  private final List<String> allowUnverified;
  private List<Deployer.Item> items;

  private Prepared(StackContext ctx, Plan plan, List<ComponentSpec> specs, List<StackRenderer.Fetched> fetched, List<String> allowUnverified) {
    this.ctx = ctx;
    this.plan = plan;
    this.specs = specs;
    this.fetched = fetched;
    this.allowUnverified = allowUnverified;
  }

  Plan plan() {
    return plan;
  }

  List<ComponentSpec> specs() {
    return specs;
  }

  List<String> allowUnverified() {
    return allowUnverified;
  }

  /** How an unsigned distribution allowed by the user is recorded in {@code allowUnverified}. */
  static final String DISTRIBUTION_ENTRY = "distribution ";

  /** Plans against the live facts, checks what is unlocked against the flags, then fetches, verifies and renders. */
  static Prepared of(StackContext ctx, PlanSource source, boolean requireLocked, List<String> allowUnverified) {
    Plan plan = source.plan(ctx.facts());
    Progress progress = ctx.progress();
    for (String w : plan.warnings()) {
      progress.event(null, Phase.INFO, "warning: " + w);
    }
    Set<String> names = new HashSet<>();
    plan.steps().forEach(s -> names.add(s.name()));
    for (String a : allowUnverified) {
      if (!a.startsWith(DISTRIBUTION_ENTRY) && !names.contains(a)) {
        throw CnaiException.badInput("--allow-unverified names '" + a + "', which is not a component of the plan",
            "name components of the plan: " + String.join(", ", new TreeSet<>(names)));
      }
    }
    List<String> allowed = new ArrayList<>();
    allowUnverified.stream().filter(a -> a.startsWith(DISTRIBUTION_ENTRY)).forEach(allowed::add);
    for (PlanStep s : plan.steps()) {
      if (s.component().source().locked()) {
        continue;
      }
      if (allowUnverified.contains(s.name())) {
        allowed.add(s.name());
        progress.event(s.name(), Phase.INFO, "not locked: installed unverified, as --allow-unverified " + s.name() + " says (recorded in the revision)");
      } else if (requireLocked) {
        throw CnaiException.refused("component '" + s.name() + "' is not locked (no digest in the distribution) and --require-locked was given; nothing was applied",
            "lock it with 'cnai distro lock', or accept it explicitly with --allow-unverified " + s.name());
      }
    }
    progress.event(null, Phase.FETCH, "fetching and verifying " + plan.steps().size() + " component(s)");
    return render(ctx, plan, allowed);
  }

  /** Renders components as a revision recorded them (sources, digests, values), against the live cluster's facts. */
  static Prepared recorded(StackContext ctx, List<ComponentSpec> specs, StackRevision revision) {
    TargetFacts facts = ctx.facts();
    List<PlanStep> steps = specs.stream().map(ComponentSpec::step).toList();
    return render(ctx, new Plan(null, null, facts, steps, List.of(), revision.planDigest()), revision.allowUnverified());
  }

  private static Prepared render(StackContext ctx, Plan plan, List<String> allowed) {
    List<StackRenderer.Fetched> fetched = ctx.renderer().fetchAll(plan);
    List<ComponentSpec> specs = new ArrayList<>();
    for (StackRenderer.Fetched f : fetched) {
      specs.add(ComponentSpec.of(f.step(), f.digest(), f.subcharts().stream().map(x -> x.digest()).toList()));
    }
    return new Prepared(ctx, plan, List.copyOf(specs), fetched, allowed);
  }

  /** Every component rendered (once), with its verified archives: what a deployment applies. */
  synchronized List<Deployer.Item> items() {
    if (items != null) {
      return items;
    }
    StackRenderer renderer = ctx.renderer();
    StackRenderer.RenderedStack stack = renderer.render(plan);
    List<Deployer.Item> out = new ArrayList<>();
    for (int i = 0; i < stack.components().size(); i++) {
      StackRenderer.RenderedComponent c = stack.components().get(i);
      StackRenderer.Fetched f = fetched.get(i);
      ComponentSpec spec = specs.get(i);
      Path archive = f.chart() == null ? null : f.chart().archive();
      List<Path> subcharts = f.subcharts().stream().map(x -> x.archive()).toList();
      // decided by one more render, only for a chart that Helm will actually install
      java.util.function.Supplier<java.util.Set<String>> drop = memoized(
          () -> Ownership.droppable(renderer, plan, c.step(), c.rendered(), archive, subcharts));
      out.add(new Deployer.Item(spec, c.rendered(), archive, subcharts, drop));
      ctx.progress().event(spec.name(), Phase.RENDER, spec.reference() + " " + c.digest().substring(0, Math.min(19, c.digest().length()))
          + ": " + c.rendered().crds().size() + " CRD(s), " + c.rendered().resources().size() + " object(s), " + c.rendered().hooks().size() + " hook(s)");
    }
    items = List.copyOf(out);
    return items;
  }

  private static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> s) {
    return new java.util.function.Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = s.get();
        }
        return value;
      }
    };
  }

  /** The objects of the manifest components by name (their verified bytes split; no chart is rendered). */
  Map<String, RenderedChart> manifestObjects() {
    Map<String, RenderedChart> out = new LinkedHashMap<>();
    for (StackRenderer.Fetched f : fetched) {
      if (f.manifest() != null) {
        out.put(f.step().name(), StackRenderer.manifestObjects(f));
      }
    }
    return out;
  }
}
