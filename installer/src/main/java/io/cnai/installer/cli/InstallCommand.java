package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.InstallAction;
import io.cnai.installer.lifecycle.StackContext;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** 'cnai install': fetch, verify and render everything, then install the stack on a cluster. */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    description = "Install the stack of a profile on a cluster: CRDs first, then wave after wave, each component waited for.",
    footer = {
      "",
      "Nothing is applied before every chart and manifest is fetched, verified and rendered.",
      "Running it again changes nothing; after an interrupted run it repairs and completes the install.",
      "",
      "Examples:",
      "  cnai install --profile kind --kubeconfig ~/.kube/config",
      "  cnai install --profile laptop --require-locked --timeout 10m --output json"
    })
public final class InstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin RolloutOptions o;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RolloutOptions.Prepared p = o.prepare(out, spec.commandLine().getErr(), true, true);
    try (StackContext ctx = p.lifecycle().open(p.access())) {
      o.apply.output().printResult(out, "install", o.configure(new InstallAction(ctx), p.source()).run());
    }
    return 0;
  }
}
