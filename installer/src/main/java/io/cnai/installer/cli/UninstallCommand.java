package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.Options;
import io.cnai.installer.lifecycle.Preflight;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai uninstall': remove every component cnai installed. */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
    description = "Remove the stack: Helm releases and applied objects, newest wave first; the history and the namespaces cnai created too.",
    footer = {"", "PVCs and CRDs (and so custom resources) are kept unless --delete-pvcs / --delete-crds;",
        "a namespace cnai created that still holds PVCs is kept too (deleting it would delete them)."})
public final class UninstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin InstallCommand.Target target;
  @Mixin InstallCommand.Apply apply;

  @Option(names = "--delete-pvcs", description = "Also delete the components' PersistentVolumeClaims.")
  boolean deletePvcs;

  @Option(names = "--delete-crds", description = "Also delete the CRDs cnai applied (and every custom resource of them).")
  boolean deleteCrds;

  @Option(names = "--keep-history", description = "Keep the stack revisions (and write an UNINSTALL one).")
  boolean keepHistory;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    InstallCommand.lifecycle(target, null, out, Preflight.none())
        .uninstall(new Options.Uninstall(apply.timeout(), deletePvcs, deleteCrds, keepHistory));
    out.println("uninstall: done");
    out.flush();
    return 0;
  }
}
