package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.render.StackRenderer;
import io.cnai.installer.sbom.SbomFromPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai sbom': the CycloneDX 1.6 SBOM of what a plan installs. */
@Command(
    name = "sbom",
    mixinStandardHelpOptions = true,
    description = {
      "Write the CycloneDX 1.6 JSON SBOM of a plan: every component, its chart and subcharts (or",
      "manifests) with digests, and every container image of the rendered manifests and the lockfile",
      "(with its digest where pinned). Everything is fetched and verified first; the SBOM is validated",
      "against the CycloneDX schema before it is written."
    },
    footer = {
      "",
      "Examples:",
      "  cnai sbom --profile kind --out cnai-kind.cdx.json",
      "  cnai sbom --profile laptop > sbom.json",
      "",
      "Exit codes: 0 written, 1 failure, 2 bad input, 3 an artifact did not verify."
    })
public final class SbomCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin RenderOptions render;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the SBOM here (default: standard output).")
  Path out;

  @Override
  public Integer call() {
    StackRenderer renderer = render.renderer();
    PrintWriter err = spec.commandLine().getErr();
    Plan plan = render.plan(err);
    SbomFromPlan.Result r = new SbomFromPlan(renderer, Clock.systemUTC()).build(plan);
    r.warnings().forEach(w -> err.println("warning: " + w));
    if (out == null) {
      spec.commandLine().getOut().print(r.json());
      spec.commandLine().getOut().flush();
    } else {
      try {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(out, r.json(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CnaiException.failure("cannot write " + out + ": " + e.getMessage(), "check the path", e);
      }
      long images = r.input().components().stream().mapToLong(c -> c.images().size()).sum();
      err.printf("wrote %s: CycloneDX 1.6, %d components, %d images%n", out, r.input().components().size(), images);
    }
    err.flush();
    return 0;
  }
}
