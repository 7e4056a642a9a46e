package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.NodeRegistries;
import io.cnai.installer.cluster.Providers;
import io.cnai.installer.cluster.sim.LocalProvider;
import io.cnai.installer.e2e.DiskSpace;
import io.cnai.installer.e2e.E2eOptions;
import io.cnai.installer.e2e.E2eReport;
import io.cnai.installer.e2e.E2eRunner;
import io.cnai.installer.e2e.Pipeline;
import io.cnai.installer.e2e.Scripts;
import io.cnai.installer.e2e.Starter;
import io.cnai.installer.kube.ClusterSession;
import io.cnai.installer.kube.Workloads;
import io.cnai.installer.lifecycle.UpAction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * 'cnai up': create a cluster with a provider, install a profile on it, check its health. With no
 * arguments (or --starter): a local cluster with a real node, the sample-pipelines image, the
 * starter release and the digits sample run on it.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
      "Create a cluster (sim by default), install the stack of a profile on it and check that everything is ready.",
      "With no arguments (or --starter): a local cluster with a real node and its own registry, the sample-pipelines",
      "image built and pushed (the Python environment is made on first use), the offline starter release (MLflow, a",
      "KServe model server, a Ray head, JupyterLab) installed, and the digits sample trained, registered and served on it; it prints where",
      "MLflow, the model server, JupyterLab (with its token) and the Ray head answer. Needs root and the tools of installer/tools (README, Set-up)."
    },
    footer = {"", "Examples:", "  cnai up", "  cnai up --profile kind",
        "  cnai up --provider existing --kubeconfig ~/.kube/config --context dev --profile laptop",
        "", "Exit codes: 0 up and healthy (and, for the starter, digits passed), 1 failure, 2 bad input, 3 verification refused."})
public final class UpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RolloutOptions o;
  @Mixin ProviderOption provider;

  @Option(names = "--name", defaultValue = "cnai", description = "Cluster name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--starter", description = "The offline starter stack on a local cluster, and the digits sample on it (what 'cnai up' alone does).")
  boolean starter;

  @Option(names = "--skip-disk-check", description = "Start the starter stack even when the free disk looks too small for it (about 27 GB on first use, 16 GB later).")
  boolean skipDiskCheck;

  @Override
  public Integer call() {
    // no arguments, or only --skip-disk-check (it concerns the starter stack alone)
    boolean starterMode = starter || spec.commandLine().getParseResult().matchedArgs().stream()
        .allMatch(a -> a instanceof CommandLine.Model.OptionSpec os && "--skip-disk-check".equals(os.longestName()));
    PrintWriter out = spec.commandLine().getOut();
    Consumer<String> say = line -> {
      out.println(line);
      out.flush();
    };
    ClusterProvider p;
    if (starterMode) {
      if (o.stack.distribution != null || o.stack.profilesDir != null || !"sim".equals(provider.name) && !LocalProvider.NAME.equals(provider.name)) {
        throw CnaiException.badInput("--starter installs the starter release on a local cluster",
            "leave out --distribution, --profiles-dir and --provider, or leave out --starter");
      }
      Path root = CnaiRoot.find();
      o.stack.distribution = CnaiRoot.relative(root.resolve("distro/starter/distribution.yaml"));
      o.stack.profilesDir = CnaiRoot.relative(root.resolve("distro/starter/profiles"));
      o.stack.profile = "starter";
      if (!spec.commandLine().getParseResult().hasMatchedOption("--timeout")) {
        // the first start pulls a 3.4 GiB image onto the node: more than the usual 5 minutes on a busy laptop
        o.apply.timeout = "10m";
      }
      p = Providers.of(LocalProvider.NAME);
      if (p.find(name).isPresent()) {
        Path kc = p.find(name).get().kubeconfig();
        throw CnaiException.badInput("the local cluster '" + name + "' is already up",
            "run the samples on it again with 'cnai e2e run --kubeconfig " + kc + "', or start over with 'cnai down --provider local --name " + name + "'");
      }
      String misplaced = DiskSpace.misplacedCache(io.cnai.installer.images.JibImageBuilder.cacheBase());
      if (misplaced != null) {
        throw CnaiException.badInput(misplaced, "set XDG_CACHE_HOME (or HOME) to a folder outside /tmp and run cnai up again");
      }
      say.accept("up: the starter stack on a local cluster '" + name + "' (" + o.stack.distribution + ")");
      if (!skipDiskCheck) {
        List<String> shortfalls = DiskSpace.shortfalls(DiskSpace.starter(root, io.cnai.installer.images.JibImageBuilder.cacheBase(), io.cnai.installer.cluster.sim.SimProvider.home()));
        if (!shortfalls.isEmpty()) {
          throw CnaiException.failure("not enough free disk for the starter stack: " + String.join("; and ", shortfalls),
              "free some disk (or set XDG_CACHE_HOME and CNAI_HOME to a larger file system) and run cnai up again;"
                  + " --skip-disk-check starts anyway");
        }
      }
      Scripts.run(root, "installer/tools/build-up.sh", say, rc -> rc == 2
          ? "real nodes need root and the packages named above" : "read the build's message above; Go modules come from the Go module proxy");
    } else {
      if (skipDiskCheck) {
        throw CnaiException.badInput("--skip-disk-check concerns the starter stack only", "leave it out, or use it with 'cnai up' alone or --starter");
      }
      p = provider.provider();
    }
    RolloutOptions.Prepared prepared = o.prepare(out, spec.commandLine().getErr(), false, true);
    UpAction up = o.configure(new UpAction(prepared.lifecycle(), p), prepared.source()).name(name).kubeconfig(o.apply.kube().kubeconfig)
        .context(o.apply.kube().context);
    if (starterMode) {
      LocalProvider local = (LocalProvider) p;
      up.registries(new NodeRegistries(List.of(), true)).beforeInstall(c -> {
        String registry = local.localRegistry(c.name()).orElseThrow(() -> CnaiException.failure(
            "cluster '" + c.name() + "' has no registry", "delete it and run cnai up again"));
        Starter.pushImages(CnaiRoot.find(), registry, say);
        try (ClusterSession session = ClusterSession.open(c.access())) {
          Starter.jupyterToken(Workloads.of(session));
        }
      });
    }
    UpAction.Result r = up.run(say);
    o.apply.output().printResult(out, "up", r.install());
    out.println(r.status().healthy() ? "health: every component is ready" : "health: " + r.status().drift());
    int rc = r.status().healthy() ? 0 : 1;
    if (starterMode && rc == 0) {
      try (ClusterSession session = ClusterSession.open(r.cluster().access())) {
        Workloads w = Workloads.of(session);
        E2eReport report = new E2eRunner(w, session.clusterFacts()).run(new E2eOptions(List.of(Pipeline.named("digits").orElseThrow()),
            E2eOptions.DEFAULT_IMAGE, Duration.ofMinutes(10), 20, 0.9, Path.of("target/e2e"), false), line -> say.accept("e2e: " + line));
        report.write(Path.of("target/e2e"));
        out.print(report.summary());
        rc = report.exitCode();
        String node = w.nodeAddress().orElse("NODE");
        out.printf("MLflow (runs, registered model cnai-digits):  http://%s:30500%n", node);
        out.printf("Model server (V2 protocol):                   http://%s:30880/v2/models/digits%n", node);
        out.printf("  curl -s http://%s:30880/v2/models/digits/ready%n", node);
        String token = Starter.jupyterToken(w);
        String jupyter;
        try {
          jupyter = Starter.checkJupyter(node, token, Duration.ofMinutes(2));
        } catch (CnaiException e) {
          jupyter = "FAILED: " + e.problem();
          rc = 1;
        }
        say.accept("jupyterlab: " + jupyter);
        out.printf("JupyterLab (home folder kept on a claim):     http://%s:%d/lab?token=%s%n", node, Starter.JUPYTER_NODE_PORT, token);
        out.printf("Ray head (Ray Client, from pods):             %s%n", Pipeline.RAY_CLIENT);
        out.printf("  ./cnai e2e run --pipeline ray-tune --kubeconfig %s%n", r.cluster().kubeconfig());
      }
    }
    out.printf("Use it with:%n  export KUBECONFIG=%s%n", r.cluster().kubeconfig());
    if (starterMode) {
      out.printf("Run the samples again:  ./cnai e2e run --kubeconfig %s%n", r.cluster().kubeconfig());
      out.printf("Remove it:              ./cnai down --provider local --name %s%n", name);
    }
    out.flush();
    return rc;
  }
}
