package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.UpAction;
import java.io.PrintWriter;
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
  @Mixin KubeOptions kube;
  @Mixin OutputOptions output;
  @Mixin ApplyOptions apply;
  @Mixin VerifyOptions verify;
  @Mixin ProviderOption provider;

  @Option(names = "--name", defaultValue = "cnai", description = "Cluster name (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    trust.verifyDistribution(stack, spec.commandLine().getErr(), verify.allowUnverified);
    UpAction up = new UpAction(apply.lifecycle(output, out), provider.provider()).name(name).kubeconfig(kube.kubeconfig).context(kube.context)
        .source(stack.planSource()).timeout(apply.timeout()).requireLocked(verify.requireLocked).allowUnverified(verify.allowUnverified);
    UpAction.Result r = up.run(line -> {
      out.println(line);
      out.flush();
    });
    output.printResult(out, "up", r.install());
    out.println(r.status().healthy() ? "health: every component is ready" : "health: " + r.status().drift());
    out.printf("Use it with:%n  export KUBECONFIG=%s%n", r.cluster().kubeconfig());
    out.flush();
    return r.status().healthy() ? 0 : 1;
  }
}
