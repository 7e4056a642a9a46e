package io.cnai.installer.cli;

import io.cnai.installer.plan.Plan;
import io.cnai.installer.render.Mirrors;
import io.cnai.installer.render.StackRenderer;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;

/** The commands that fetch and render a plan without a cluster (render, sbom): the stack and the mirrors. */
public final class RenderOptions {
  @Mixin StackOptions stack;
  @Mixin MirrorsOption mirrors;

  StackRenderer renderer() {
    return Mirrors.from(mirrors.file).renderer();
  }

  /** The plan against facts assumed from the profile; its warnings go to {@code err}. */
  Plan plan(PrintWriter err) {
    Plan plan = stack.plan();
    plan.warnings().forEach(w -> err.println("warning: " + w));
    err.flush();
    return plan;
  }
}
