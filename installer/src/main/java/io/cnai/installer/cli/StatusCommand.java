package io.cnai.installer.cli;

import io.cnai.installer.json.Mappers;
import io.cnai.installer.lifecycle.StackContext;
import io.cnai.installer.lifecycle.StackStatus;
import io.cnai.installer.lifecycle.StatusAction;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** 'cnai status': the live cluster compared with the deployed revision. Exit 1 on drift. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Compare the live cluster with the last deployed stack revision: missing releases, other chart versions, changed values, missing objects, and fields of objects changed outside cnai.",
    footer = {"", "Exit code 0: as deployed and ready; 1: drift or not ready (listed)."})
public final class StatusCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    StackStatus s;
    try (StackContext ctx = cluster.openReading()) {
      s = new StatusAction(ctx).run();
    }
    if (cluster.output.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("revision", s.revision().revision());
      m.put("ready", s.ready());
      m.put("drift", s.drift());
      m.put("notes", s.notes());
      m.put("components", s.components());
      out.println(Mappers.JSON.writeValueAsString(m));
    } else {
      out.printf("stack revision %d (%s %s, profile %s)%n", s.revision().revision(), s.revision().distributionName(),
          s.revision().distributionVersion(), s.revision().profile());
      Table t = new Table("COMPONENT", "NAMESPACE", "EXPECTED", "LIVE", "READY", "DRIFT");
      for (StackStatus.Component c : s.components()) {
        t.row(c.name(), c.namespace(), c.expected(), c.live(), c.ready() ? "yes" : "no", c.drift().isEmpty() ? "-" : String.join("; ", c.drift()));
      }
      t.print(out);
      s.notes().forEach(n -> out.println("note: " + n));
      boolean deployed = s.revision().status() == io.cnai.revision.StackRevision.Status.DEPLOYED;
      out.println(s.drift().isEmpty() ? (s.ready() ? "no drift; everything ready" : "no drift; not everything is ready")
          : !deployed
              // a failed install (on a sim cluster: components refused) was never deployed: nothing to restore
              ? s.drift().size() + " difference(s) from revision " + s.revision().revision() + ", which did not complete ("
                  + s.revision().status() + "): see the note above"
              : s.drift().size() + " drift(s): run the install or upgrade that deployed revision " + s.revision().revision()
                  + " again (same distribution, profile and values) to restore them");
    }
    out.flush();
    return s.healthy() ? 0 : 1;
  }
}
