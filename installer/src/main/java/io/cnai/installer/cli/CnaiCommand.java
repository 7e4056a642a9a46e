package io.cnai.installer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level 'cnai' command; every verb is a subcommand class of its own. */
@Command(
    name = "cnai",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "The Cloud Native AI reference distribution: plan, render, install and certify the AI stack on Kubernetes.",
    subcommands = {
      VersionCommand.class,
      DistroCommand.class,
      ProfileCommand.class,
      PlanCommand.class,
      RenderCommand.class,
      VerifyCommand.class,
      SbomCommand.class,
      ClusterCommand.class,
      ImagesCommand.class,
      InstallCommand.class,
      UpgradeCommand.class,
      RollbackCommand.class,
      HistoryCommand.class,
      StatusCommand.class,
      UninstallCommand.class,
      UpCommand.class,
      DownCommand.class,
      ConformanceCommand.class,
      ClassroomCommand.class,
      E2eCommand.class,
      CommandLine.HelpCommand.class,
    },
    footer = {
      "",
      "Examples:",
      "  cnai distro validate distro/releases/2026.11/distribution.yaml",
      "  cnai plan --profile kind --output json",
      "  cnai render --profile laptop --out /tmp/manifests",
      "  cnai cluster create --provider sim --gpu-nodes 2 --kubeconfig /tmp/sim.kubeconfig",
      "  cnai images push hello/image.yaml --registry http://10.201.0.1:5000",
      "  cnai install --profile kind --kubeconfig /tmp/sim.kubeconfig",
      "  cnai conformance run --kubeconfig /tmp/sim.kubeconfig",
      "  cnai classroom create --students 30 --kubeconfig /tmp/sim.kubeconfig",
      "",
      "Exit codes: 0 ok, 1 failure, 2 bad input or usage, 3 verification refused."
    })
public final class CnaiCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces and more detail.")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static boolean verbose(CommandLine cl) {
    CommandLine c = cl;
    while (c.getParent() != null) {
      c = c.getParent();
    }
    return c.getCommand() instanceof CnaiCommand root && root.verbose;
  }
}
