package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.Preflight;
import io.cnai.revision.RevisionCodec;
import io.cnai.revision.StackRevision;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** 'cnai history': the stack revisions kept in the cluster. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List the stack revisions (install, upgrade, rollback) kept in namespace cnai-system.")
public final class HistoryCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin InstallCommand.Target target;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<StackRevision> all = InstallCommand.lifecycle(target, null, new PrintWriter(java.io.Writer.nullWriter()), Preflight.none()).history();
    if (target.output == OutputFormat.JSON) {
      out.println("[" + String.join(",", all.stream().map(RevisionCodec::toJson).toList()) + "]");
    } else {
      Table t = new Table("REVISION", "ACTION", "STATUS", "DISTRIBUTION", "PROFILE", "FINISHED", "MESSAGE");
      for (StackRevision r : all) {
        t.row(r.revision(), r.action(), r.status(), r.distributionName() + " " + r.distributionVersion(), r.profile(),
            r.finishedAt() == null ? "-" : r.finishedAt().toString(), r.message());
      }
      t.print(out);
    }
    out.flush();
    return 0;
  }
}
