package io.cnai.installer.cli;

import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.PlanStep;
import io.cnai.installer.plan.PlanView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai plan': the ordered waves of components a profile installs, stamped with a digest. */
@Command(
    mixinStandardHelpOptions = true,
    name = "plan",
    description = "Show what an install would do: components in dependency order, in waves that run in parallel.",
    footer = {
      "",
      "Examples:",
      "  cnai plan --profile kind",
      "  cnai plan --profile laptop --output json",
      "  cnai plan --profile eks --set kueue.controllerManager.replicas=2 -f my-values.yaml --output yaml --show-values"
    })
public final class PlanCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StackOptions stack;

  @Option(names = {"-o", "--output"}, description = "table, yaml or json (default: ${DEFAULT-VALUE}).", defaultValue = "table")
  OutputFormat output;

  @Option(names = "--show-values", description = "Include each component's resolved values in yaml/json output.")
  boolean showValues;

  @Override
  public Integer call() {
    Plan plan = stack.plan();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (String w : plan.warnings()) {
      err.println("warning: " + w);
    }
    err.flush();
    if (output != OutputFormat.TABLE) {
      OutputFormat.writeData(out, PlanView.of(plan, showValues), output);
      return 0;
    }
    out.printf("Plan %s%n", plan.digest());
    out.printf("Distribution %s %s, profile %s (%s), Kubernetes %s (%s)%n",
        plan.distribution().name(), plan.distribution().version(), plan.profile().name(),
        String.join(" > ", plan.profile().chain()), plan.target().kubernetes(), plan.target().source());
    out.println();
    Table t = new Table("WAVE", "COMPONENT", "NAMESPACE", "SOURCE", "VERSION", "LOCKED", "AFTER");
    int i = 1;
    for (List<PlanStep> wave : plan.waves()) {
      for (PlanStep s : wave) {
        t.row(i, s.name(), s.component().namespace(), s.component().source().type(), s.component().source().version(),
            s.component().source().locked() ? "yes" : "no", s.after().isEmpty() ? "-" : String.join(",", s.after()));
      }
      i++;
    }
    t.print(out);
    return 0;
  }
}
