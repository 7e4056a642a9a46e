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
  @Mixin RolloutOptions o;
  @Mixin ProviderOption provider;

  @Option(names = "--name", defaultValue = "cnai", description = "Cluster name (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RolloutOptions.Prepared p = o.prepare(out, spec.commandLine().getErr(), false);
    UpAction up = o.configure(new UpAction(p.lifecycle(), provider.provider()), p.source()).name(name).kubeconfig(o.apply.kube().kubeconfig)
        .context(o.apply.kube().context);
    UpAction.Result r = up.run(line -> {
      out.println(line);
      out.flush();
    });
    o.apply.output().printResult(out, "up", r.install());
    out.println(r.status().healthy() ? "health: every component is ready" : "health: " + r.status().drift());
    out.printf("Use it with:%n  export KUBECONFIG=%s%n", r.cluster().kubeconfig());
    out.flush();
    return r.status().healthy() ? 0 : 1;
  }
}
