package io.cnai.installer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** 'cnai version': the tool's version and the newest release it carries. */
@Command(mixinStandardHelpOptions = true, name = "version", description = "Print the version of cnai.")
public final class VersionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return 0;
  }

  /** Reads the version that Maven wrote into the jar manifest. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"cnai " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
