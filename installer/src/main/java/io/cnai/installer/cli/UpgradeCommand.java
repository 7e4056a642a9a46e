package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.StackContext;
import io.cnai.installer.lifecycle.UpgradeAction;
import java.io.PrintWriter;
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
  @Mixin RolloutOptions o;

  @Option(names = "--no-rollback", description = "Leave a failed upgrade as it is instead of rolling back to the last deployed revision.")
  boolean noRollback;

  @Option(names = "--delete-pvcs", description = "Also delete the PersistentVolumeClaims of components that leave the stack.")
  boolean deletePvcs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RolloutOptions.Prepared p = o.prepare(out, spec.commandLine().getErr(), true, false);
    try (StackContext ctx = p.lifecycle().open(p.access())) {
      UpgradeAction upgrade = o.configure(new UpgradeAction(ctx), p.source()).noRollback(noRollback).deletePvcs(deletePvcs);
      o.apply.output().printResult(out, "upgrade", upgrade.run());
    }
    return 0;
  }
}
