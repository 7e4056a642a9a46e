package io.cnai.installer.cli;

import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.lifecycle.InstallAction;
import io.cnai.installer.lifecycle.Lifecycle;
import io.cnai.installer.lifecycle.PlanSource;
import io.cnai.installer.lifecycle.StackContext;
import io.cnai.installer.lifecycle.StackResult;
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
  @Mixin StackOptions stack;
  @Mixin TrustOptions trust;
  @Mixin KubeOptions kube;
  @Mixin OutputOptions output;
  @Mixin ApplyOptions apply;
  @Mixin VerifyOptions verify;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    trust.verifyDistribution(stack, spec.commandLine().getErr(), verify.allowUnverified);
    ClusterAccess access = kube.access();
    Lifecycle lifecycle = apply.lifecycle(output, out);
    PlanSource source = stack.planSource();
    try (StackContext ctx = lifecycle.open(access)) {
      StackResult r = new InstallAction(ctx).source(source).timeout(apply.timeout())
          .requireLocked(verify.requireLocked).allowUnverified(verify.allowUnverified).run();
      output.printResult(out, "install", r);
    }
    return 0;
  }
}
