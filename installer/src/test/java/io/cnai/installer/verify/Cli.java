package io.cnai.installer.verify;

import io.cnai.installer.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the cnai CLI in-process and keeps its exit code and output. */
record Cli(int exit, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(code, out.toString(), err.toString());
  }
}
