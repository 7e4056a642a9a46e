package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.RollbackAction;
import io.cnai.installer.lifecycle.StackContext;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** 'cnai rollback [REVISION]': re-apply the charts and values of an earlier stack revision. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = "Roll the stack back to an earlier revision (default: the one before the deployed one), in reverse dependency order.",
    footer = {"", "Charts come from the digest cache; the new state is written as a new revision.", "",
      "Examples:", "  cnai rollback", "  cnai rollback 3 --timeout 10m"})
public final class RollbackCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ApplyOptions apply;

  @Parameters(index = "0", arity = "0..1", paramLabel = "REVISION", description = "Stack revision to go back to ('cnai history').")
  Integer revision;

  @Option(names = "--delete-pvcs", description = "Also delete the PersistentVolumeClaims of components that are not in that revision.")
  boolean deletePvcs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (StackContext ctx = apply.open(out)) {
      apply.output().printResult(out, "rollback", new RollbackAction(ctx).revision(revision).timeout(apply.timeout()).deletePvcs(deletePvcs).run());
    }
    return 0;
  }
}
