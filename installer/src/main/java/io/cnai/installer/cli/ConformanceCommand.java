package io.cnai.installer.cli;

import io.cnai.conformance.ConformanceOptions;
import io.cnai.conformance.ConformanceResult;
import io.cnai.conformance.ConformanceRunner;
import io.cnai.core.CnaiException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** 'cnai conformance run': runs the AI Conformance suite against a cluster and writes the reports. */
@Command(
    name = "conformance",
    description = "Certify a cluster against the CNCF AI Conformance requirements.",
    subcommands = {ConformanceCommand.Run.class})
public final class ConformanceCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Run the AI Conformance suite (Cucumber features per requirement, per component and for the stack). "
              + "Scenarios whose needs (@needs-containers, @needs-gpu, @needs-stack) the cluster cannot meet are "
              + "reported NOT RUN with the reason, never passed. Writes junit.xml, cucumber.json, cucumber.html, "
              + "PRODUCT.yaml (checked with the CNCF validator's rules) and evidence/ into --output-dir.",
      footer = {
        "",
        "Examples:",
        "  cnai conformance run --kubeconfig /tmp/ci.kubeconfig --output-dir target/conformance",
        "  cnai conformance run --tags '@MUST and not @needs-gpu'",
        "",
        "Exit codes: 0 every MUST scenario that could run passed, 1 a MUST scenario failed,",
        "2 bad input (unreadable kubeconfig, unknown context, bad tag expression)."
      })
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--kubeconfig", description = "Kubeconfig of the cluster (default: $KUBECONFIG, else ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", description = "Kubeconfig context (default: its current context).")
    String context;

    @Option(names = "--tags", description = "Cucumber tag expression selecting scenarios, e.g. '@MUST and not @needs-gpu'.")
    String tags;

    @Option(names = "--output-dir", defaultValue = "target/conformance",
        description = "Where the reports go (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ConformanceResult r = ConformanceRunner.run(
          new ConformanceOptions(kubeconfig, context, tags, outputDir, releases(), Clock.systemUTC()));
      out.print(r.summary());
      out.flush();
      return r.exitCode();
    }

    /** The lockfiles, to compare the installed stack with; null when cnai runs outside its repository. */
    private static Path releases() {
      try {
        Path p = CnaiRoot.find().resolve("distro/releases");
        return Files.isDirectory(p) ? p : null;
      } catch (CnaiException e) {
        return null;
      }
    }
  }
}
