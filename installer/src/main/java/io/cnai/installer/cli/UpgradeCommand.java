package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.Lifecycle;
import io.cnai.installer.lifecycle.Options;
import io.cnai.installer.lifecycle.Preflight;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai upgrade': move the installed stack to a new release or profile. */
@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    description = "Upgrade the installed stack to another distribution, profile or values; a failed upgrade rolls back.",
    footer = {
      "",
      "Shows what changes (components added and removed, versions, values), applies in dependency order and",
      "uninstalls components that left (their PVCs are kept unless --delete-pvcs).",
      "",
      "Examples:",
      "  cnai upgrade --distribution distro/releases/2027.02/distribution.yaml --profile kind",
      "  cnai upgrade --profile kind --set kueue.replicas=2 --no-rollback"
    })
public final class UpgradeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin StackOptions stack;
  @Mixin TrustOptions trust;
  @Mixin InstallCommand.Target target;
  @Mixin InstallCommand.Apply apply;

  @Option(names = "--require-locked", description = "Refuse components without a locked digest (exit 3), except those named by --allow-unverified.")
  boolean requireLocked;

  @Option(names = "--allow-unverified", paramLabel = "COMPONENT", description = "Install this unlocked component anyway (logged and recorded); repeatable.")
  List<String> allowUnverified = new ArrayList<>();

  @Option(names = "--no-rollback", description = "Leave a failed upgrade as it is instead of rolling back to the last deployed revision.")
  boolean noRollback;

  @Option(names = "--delete-pvcs", description = "Also delete the PersistentVolumeClaims of components that leave the stack.")
  boolean deletePvcs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    InstallCommand.verifyDistribution(trust, stack, spec, allowUnverified);
    Lifecycle l = InstallCommand.lifecycle(target, apply.mirrors, out, Preflight.none());
    Lifecycle.Result r = l.upgrade(new Options.Upgrade(InstallCommand.planSource(stack), apply.timeout(), requireLocked,
        allowUnverified, noRollback, deletePvcs));
    InstallCommand.printResult(out, target, "upgrade", r);
    return 0;
  }
}
