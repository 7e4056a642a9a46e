package io.cnai.installer.cli;

import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.Providers;
import io.cnai.installer.lifecycle.Lifecycle;
import io.cnai.installer.lifecycle.Options;
import io.cnai.installer.lifecycle.Preflight;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai up': create a cluster with a provider, install a profile on it, check its health. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Create a cluster (sim by default), install the stack of a profile on it and check that everything is ready.",
    footer = {"", "Examples:", "  cnai up --profile kind", "  cnai up --provider existing --kubeconfig ~/.kube/config --context dev --profile laptop"})
public final class UpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin StackOptions stack;
  @Mixin TrustOptions trust;
  @Mixin InstallCommand.Target target;
  @Mixin InstallCommand.Apply apply;

  @Option(names = "--provider", defaultValue = "sim", description = "sim or existing (default: ${DEFAULT-VALUE}).")
  String provider;

  @Option(names = "--name", defaultValue = "cnai", description = "Cluster name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--require-locked", description = "Refuse components without a locked digest (exit 3).")
  boolean requireLocked;

  @Option(names = "--allow-unverified", paramLabel = "COMPONENT", description = "Install this unlocked component anyway; repeatable.")
  List<String> allowUnverified = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    InstallCommand.verifyDistribution(trust, stack, spec, allowUnverified);
    ClusterProvider p = Providers.of(provider);
    String clusterName = "existing".equals(provider) && target.context != null ? target.context : name;
    out.printf("cluster: creating '%s' with provider %s%n", clusterName, provider);
    out.flush();
    if (!"existing".equals(provider) && target.context != null) {
      throw io.cnai.core.CnaiException.badInput("--context is only for --provider existing",
          "a cluster that 'cnai up' creates gets its own context; --kubeconfig names where its kubeconfig is also written");
    }
    Cluster c = p.create(new ClusterRequest(clusterName, NodeTopology.defaults(), Optional.ofNullable(target.kubeconfig),
        Optional.ofNullable(target.context)));
    target.kubeconfig = c.kubeconfig();
    target.context = c.context();
    Lifecycle l = InstallCommand.lifecycle(target, apply.mirrors, out, Preflight.none());
    Lifecycle.Result r = l.install(new Options.Install(InstallCommand.planSource(stack), apply.timeout(), requireLocked, allowUnverified));
    InstallCommand.printResult(out, target, "up", r);
    Lifecycle.StackStatus s = l.status();
    out.println(s.drift().isEmpty() && s.ready() ? "health: every component is ready" : "health: " + s.drift());
    out.printf("Use it with:%n  export KUBECONFIG=%s%n", c.kubeconfig());
    out.flush();
    return s.drift().isEmpty() && s.ready() ? 0 : 1;
  }
}
