package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the cnai CLI: parses flags, calls the library, prints. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI and returns its exit code; used by tests with their own writers. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = CnaiCommand.commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean verbose = parseResult.hasMatchedOption("-v") || CnaiCommand.verbose(commandLine);
          return report(ex, commandLine.getErr(), verbose);
        });
    cli.setParameterExceptionHandler(
        (ex, args1) -> {
          PrintWriter e = ex.getCommandLine().getErr();
          e.println("error: " + ex.getMessage());
          e.println("  hint: run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage");
          e.flush();
          return 2;
        });
    return cli.execute(args);
  }

  static int report(Exception ex, PrintWriter err, boolean verbose) {
    if (ex instanceof CnaiException ce) {
      err.println("error: " + ce.getMessage());
      if (verbose) {
        ce.printStackTrace(err);
      }
      err.flush();
      return ce.exitCode();
    }
    var kube = io.cnai.installer.kube.ClientFailures.explain(ex);
    if (kube.isPresent()) {
      err.println("error: " + kube.get().getMessage());
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
    err.println("error: unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
    err.println("  hint: this is a bug in cnai; run again with -v and report the stack trace");
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return 1;
  }
}
