package io.cnai.installer.cli;

import io.cnai.conformance.ConformanceOptions;
import io.cnai.conformance.ConformanceResult;
import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.Submission;
import io.cnai.conformance.report.SubmissionLayout;
import io.cnai.conformance.template.Templates;
import io.cnai.core.CnaiException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.cnai.installer.conformance.ConformanceImage;
import io.cnai.installer.conformance.InClusterConformance;
import io.cnai.installer.images.JibImageBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * 'cnai conformance run': runs the AI Conformance suite against a cluster and writes the reports;
 * 'cnai conformance submit-dir': lays the reports out as a submission to the program's repository.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = "Certify a cluster against the CNCF AI Conformance requirements.",
    subcommands = {ConformanceCommand.Run.class, ConformanceCommand.SubmitDir.class})
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
              + "PRODUCT.yaml (the program's checklist template answered, checked with its validator's rules) "
              + "and evidence/ into --output-dir.",
      footer = {
        "",
        "Examples:",
        "  cnai conformance run --kubeconfig /tmp/ci.kubeconfig --output-dir target/conformance",
        "  cnai conformance run --product product.yaml --template-version v1.36",
        "  cnai conformance run --template ./AIConformance-1.36.yaml --tags '@MUST and not @needs-gpu'",
        "  cnai conformance run --in-cluster --kubeconfig ~/.cnai/clusters/dev/kubeconfig   # local cluster with --local-registry",
        "  cnai conformance run --in-cluster --registry http://10.0.0.5:5000 --image docker.io/acme/cnai-conformance:1",
        "",
        "Exit codes: 0 every MUST scenario that could run passed, 1 a MUST scenario failed, the API server",
        "does not answer or the template cannot be fetched (offline: pass --template FILE),",
        "2 bad input (unreadable kubeconfig, unknown context, bad tag expression, bad --product file,",
        "no published template for the version; --in-cluster without a registry the nodes reach)."
      })
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin KubeOptions kube;

    @Option(names = "--tags", description = "Cucumber tag expression selecting scenarios, e.g. '@MUST and not @needs-gpu'.")
    String tags;

    @Option(names = "--output-dir", defaultValue = "target/conformance",
        description = "Where the reports go (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = "--template", paramLabel = "FILE|URL",
        description = "The program's checklist template to answer (default: its published template for the "
            + "cluster's Kubernetes minor version, fetched over HTTPS and cached in ~/.cache/cnai/conformance-templates).")
    String template;

    @Option(names = "--template-version", paramLabel = "v1.NN",
        description = "Answer the published template of this version instead of the cluster's minor version.")
    String templateVersion;

    @Option(names = "--product", paramLabel = "FILE",
        description = "Product metadata for PRODUCT.yaml (vendor, URLs, contact ...; see docs/conformance.md). "
            + "Without it the report is not submittable.")
    Path product;

    @Option(names = "--in-cluster",
        description = "Run the suite inside the cluster: build the conformance image (no Docker daemon), push it to "
            + "--registry, run it as a Job with least-privilege RBAC, copy the reports back into --output-dir, and remove "
            + "the Job, its namespace and its RBAC.")
    boolean inCluster;

    @Option(names = "--registry", paramLabel = "URL",
        description = "With --in-cluster: the registry the nodes pull from, where the image is pushed (http://HOST:PORT "
            + "for plain HTTP). Default: the own registry of a local cluster created with --local-registry.")
    String registry;

    @Option(names = "--image", paramLabel = "REF",
        description = "With --in-cluster: the image as the nodes name it (default: " + InClusterConformance.DEFAULT_IMAGE
            + ":<cnai version>); pushed below REGISTRY/<its registry>/ as mirrors lay images out, or exactly there when "
            + "REF names the registry itself.")
    String image;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
        description = "With --in-cluster: how long the suite may run in the cluster (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (!inCluster && (registry != null || image != null)) {
        throw CnaiException.badInput((registry != null ? "--registry" : "--image") + " is for --in-cluster runs only",
            "add --in-cluster, or drop the option");
      }
      if (timeoutSeconds <= 0) {
        throw CnaiException.badInput("--timeout must be a positive number of seconds, not " + timeoutSeconds, "e.g. --timeout 1800");
      }
      if (inCluster) {
        PrintWriter err = spec.commandLine().getErr();
        InClusterConformance.Result r = new InClusterConformance(JibImageBuilder.fromEnvironment(), ConformanceImage.fromEnvironment(),
            line -> {
              err.println("[in-cluster] " + line);
              err.flush();
            })
            .run(new InClusterConformance.Options(kube.kubeconfig, kube.context, tags, outputDir,
                Submission.of(template, templateVersion, product), registry, image, releases(), Duration.ofSeconds(timeoutSeconds)));
        out.print(r.summary());
        out.flush();
        return r.exitCode();
      }
      ConformanceResult r = ConformanceRunner.run(new ConformanceOptions(kube.kubeconfig, kube.context, tags, outputDir, releases(),
          Clock.systemUTC(), Submission.of(template, templateVersion, product)));
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

  @Command(
      name = "submit-dir",
      mixinStandardHelpOptions = true,
      description = "Lay the reports of 'cnai conformance run' out as the program's repository holds a submission: "
          + "DIR/v1.NN/<product>/PRODUCT.yaml with its evidence files beside it. Refused when PRODUCT.yaml breaks "
          + "the program's validator rules, unless --draft.",
      footer = {
        "",
        "Examples:",
        "  cnai conformance submit-dir ../k8s-ai-conformance --from target/conformance",
        "  cnai conformance submit-dir /tmp/submission --name cnai --draft",
        "",
        "Exit codes: 0 laid out, 1 the template cannot be fetched, 2 bad input or not submittable."
      })
  static final class SubmitDir implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "DIR", description = "Submission root, e.g. a clone of cncf/k8s-ai-conformance.")
    Path root;

    @Option(names = "--from", paramLabel = "DIR", defaultValue = "target/conformance",
        description = "The --output-dir of the run (default: ${DEFAULT-VALUE}).")
    Path from;

    @Option(names = "--name", paramLabel = "NAME",
        description = "Product folder (default: the last part of k8sConformanceUrl, else platformName).")
    String name;

    @Option(names = "--template", paramLabel = "FILE|URL",
        description = "The checklist template the run answered (default: the published one of PRODUCT.yaml's version, cached).")
    String template;

    @Option(names = "--draft", description = "Lay the folder out even when PRODUCT.yaml breaks the validator's rules.")
    boolean draft;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Templates templates = Templates.defaults();
      SubmissionLayout.Result r = SubmissionLayout.layout(from, root, name,
          minor -> templates.resolve(template, template == null ? minor : null, null), draft);
      out.println("submission laid out in " + r.dir() + ": " + String.join(", ", r.files()));
      if (!r.violations().isEmpty()) {
        out.println("DRAFT: not submittable, " + r.violations().size() + " violations of the program's validator rules:");
        r.violations().forEach(v -> out.println("  - " + v));
      }
      out.flush();
      return 0;
    }
  }
}
