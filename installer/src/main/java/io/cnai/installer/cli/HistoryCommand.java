package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.HistoryAction;
import io.cnai.installer.lifecycle.StackContext;
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
  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<StackRevision> all;
    try (StackContext ctx = cluster.openReading()) {
      all = new HistoryAction(ctx).run();
    }
    if (cluster.output.json()) {
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
