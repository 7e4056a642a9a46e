package io.cnai.installer.cli;

import io.cnai.core.Durations;
import io.cnai.installer.e2e.E2eOptions;
import io.cnai.installer.e2e.E2eReport;
import io.cnai.installer.e2e.E2eRunner;
import io.cnai.installer.e2e.Pipeline;
import io.cnai.installer.kube.ClusterSession;
import io.cnai.installer.kube.Workloads;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai e2e run|list': the sample pipelines, run end to end on a cluster. */
@Command(
    name = "e2e",
    mixinStandardHelpOptions = true,
    description = "Run the sample pipelines (sample-pipelines/) end to end on a cluster and report JUnit XML with timings.",
    subcommands = {E2eCommand.Run.class, E2eCommand.ListCmd.class},
    footer = {"", "Examples:", "  cnai e2e list", "  cnai e2e run --kubeconfig ~/.cnai/clusters/cnai/kubeconfig --pipeline digits"})
public final class E2eCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Run samples as Jobs from the sample-pipelines image on a cluster whose nodes run containers, against the starter",
        "release's MLflow and KServe model server: prepare, train (on a GPU for digits-gpu), register in MLflow, then",
        "predictions by the model server's DNS name with the accuracy asserted. A sample the cluster cannot run is",
        "reported not run, with why, never passed. Writes e2e-junit.xml and e2e-summary.txt into --output-dir."
      },
      footer = {
        "",
        "Examples:",
        "  cnai e2e run --kubeconfig ~/.cnai/clusters/cnai/kubeconfig",
        "  cnai e2e run --pipeline digits --epochs 30 --output-dir target/e2e",
        "",
        "Exit codes: 0 every sample that ran passed (at least one ran), 1 a sample failed or none could run, 2 bad flags."
      })
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin KubeOptions kube;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "A sample to run (repeatable; default: all). 'cnai e2e list' names them.")
    List<String> pipelines;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = E2eOptions.DEFAULT_IMAGE,
        description = "The image the steps run from (default: ${DEFAULT-VALUE}, built by sample-pipelines/image/stage.sh).")
    String image;

    @Option(names = "--step-timeout", paramLabel = "DURATION", defaultValue = E2eOptions.DEFAULT_STEP_TIMEOUT,
        description = "How long one step may take, image pull included: 90s, 10m (default: ${DEFAULT-VALUE}).")
    String stepTimeout;

    @Option(names = "--epochs", defaultValue = "" + E2eOptions.DEFAULT_EPOCHS, description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--min-accuracy", defaultValue = "0.9", description = "Least accuracy of the served model on the 450 held-out images (default: ${DEFAULT-VALUE}).")
    double minAccuracy;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "target/e2e", description = "Where the reports go (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = "--keep", description = "Leave the Jobs and the scratch claim in namespace cnai-e2e to look at.")
    boolean keep;

    @Override
    public Integer call() {
      E2eOptions o = new E2eOptions(E2eRunner.select(pipelines), image, Durations.parse("--step-timeout", stepTimeout), epochs,
          minAccuracy, outputDir, keep);
      E2eRunner.check(o);
      PrintWriter out = spec.commandLine().getOut();
      try (ClusterSession session = ClusterSession.open(kube.access())) {
        E2eReport r = new E2eRunner(Workloads.of(session), session.clusterFacts()).run(o, line -> {
          out.println("  " + line);
          out.flush();
        });
        Path xml = r.write(outputDir);
        out.print(r.summary());
        out.println("JUnit XML: " + xml);
        out.flush();
        return r.exitCode();
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The samples 'cnai e2e run' knows and what each needs.")
  static final class ListCmd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Table t = new Table("NAME", "WHAT IT DOES", "NEEDS");
      for (Pipeline p : Pipeline.ALL) {
        t.row(p.name(), p.description(), p.needs());
      }
      t.print(out);
      out.flush();
      return 0;
    }
  }
}
