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
    CommandLine cli = new CommandLine(new CnaiCommand());
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
    io.fabric8.kubernetes.client.KubernetesClientException kube = kubeCause(ex);
    if (kube != null) {
      // the API server could not be reached or refused a request that cnai does not expect to fail
      boolean unreachable = kube.getCode() <= 0;
      err.println("error: " + (unreachable ? "cannot reach the Kubernetes API server" : "the Kubernetes API server answered " + kube.getCode())
          + ": " + firstLine(rootMessage(kube)));
      err.println("  hint: " + (unreachable
          ? "check that the cluster runs and that --kubeconfig and --context point at it ('kubectl --kubeconfig K cluster-info')"
          : "check your RBAC and the API server; run again with -v for the stack trace"));
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

  private static io.fabric8.kubernetes.client.KubernetesClientException kubeCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof io.fabric8.kubernetes.client.KubernetesClientException k) {
        return k;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable t) {
    String msg = String.valueOf(t.getMessage());
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null) {
        msg = msg + " (" + c.getMessage() + ")";
        break;
      }
    }
    return msg;
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse("");
  }
}
