package io.cnai.installer.cli;

import io.cnai.installer.plan.Canonical;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.PlanView;
import io.cnai.installer.render.RenderOutput;
import io.cnai.installer.render.StackRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai render': every component's manifests, CRDs apart, after every artifact is verified. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Fetch, verify and render every component of a plan into a folder (CRDs, manifests and hooks apart).",
    footer = {
      "",
      "Charts are cached by digest (CNAI_CACHE, default ~/.cache/cnai): once cached, rendering works offline.",
      "",
      "Examples:",
      "  cnai render --profile kind --out /tmp/cnai-kind",
      "  cnai render --profile laptop --kube-version 1.35 --out out/ --set kueue.enableVisibilityAPF=true",
      "  cnai render --profile kind --out /tmp/cnai-kind --mirrors mirrors.yaml   # air-gapped: charts, manifests, git from local mirrors"
    })
public final class RenderCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin RenderOptions render;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (created; replaced only if an earlier render wrote it).")
  Path out;

  @Override
  public Integer call() {
    StackRenderer renderer = render.renderer();
    PrintWriter err = spec.commandLine().getErr();
    Plan plan = render.plan(err);
    StackRenderer.RenderedStack rendered = renderer.render(plan);
    for (String w : io.cnai.installer.sbom.SbomFromPlan.mutableImages(rendered)) {
      err.println("warning: " + w);
    }
    err.flush();
    RenderOutput.write(rendered, out, Canonical.json(PlanView.of(plan, true)));
    PrintWriter o = spec.commandLine().getOut();
    Table t = new Table("WAVE", "COMPONENT", "DIGEST", "CRDS", "OBJECTS", "HOOKS");
    for (StackRenderer.RenderedComponent c : rendered.components()) {
      String d = c.digest();
      t.row(c.step().wave(), c.step().name(), d.substring(0, Math.min(d.length(), 19)) + (c.step().component().source().locked() ? "" : " (first use)"),
          c.rendered().crds().size(), c.rendered().resources().size(), c.rendered().hooks().size());
    }
    t.print(o);
    o.printf("%nWrote %d components to %s (plan %s)%n", rendered.components().size(), out, plan.digest());
    o.flush();
    return 0;
  }
}
