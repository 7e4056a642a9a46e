package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.Progress;
import io.cnai.installer.lifecycle.ProgressPrinters;
import io.cnai.installer.lifecycle.StackResult;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Option;

/** {@code -o/--output} of the lifecycle commands: human tables and progress, or JSON lines. */
public final class OutputOptions {
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (human) or json (events and results as JSON lines); default: table.", defaultValue = "TABLE")
  OutputFormat output;

  boolean json() {
    return output == OutputFormat.JSON;
  }

  /** Where progress goes: JSON lines, a live terminal, or plain timestamped lines. */
  Progress progress(PrintWriter out, Clock clock) {
    if (json()) {
      return ProgressPrinters.json(out, clock);
    }
    return System.console() != null ? ProgressPrinters.terminal(out, clock) : ProgressPrinters.plain(out, clock);
  }

  /** The closing line of install, upgrade, rollback and up. */
  void printResult(PrintWriter out, String verb, StackResult r) {
    if (json()) {
      out.println("{\"result\":\"" + verb + "\",\"revision\":" + r.revision().revision() + ",\"changed\":" + r.changed() + "}");
    } else if (r.changed()) {
      out.printf("%s: stack revision %d deployed (%s %s, profile %s)%n", verb, r.revision().revision(),
          r.revision().distributionName(), r.revision().distributionVersion(), r.revision().profile());
    } else {
      out.printf("%s: nothing changed; stack revision %d is deployed%n", verb, r.revision().revision());
    }
    out.flush();
  }
}
