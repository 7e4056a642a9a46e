package io.cnai.installer.cli;

import io.cnai.installer.TestPaths;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process, as a user would from the repository root. */
public final class Cli {
  public record Result(int exit, String out, String err) {}

  private Cli() {}

  /** {@code verb}, then the stack's arguments (a fixture's distribution, profile, key), then more. */
  public static String[] args(String verb, String[] stack, String... more) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(verb));
    all.addAll(java.util.List.of(stack));
    all.addAll(java.util.List.of(more));
    return all.toArray(String[]::new);
  }

  public static Result run(String... args) {
    System.setProperty("cnai.root", TestPaths.root().toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(exit, out.toString(), err.toString());
  }
}
