package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** 'cnai distro lock': resolves versions and digests online and rewrites the lockfile. */
@Command(mixinStandardHelpOptions = true, name = "lock", description = "Resolve chart, subchart and manifest digests online and record them in the lockfile.")
public final class LockCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Lockfile (default: the newest release).")
  Path file;

  @Override
  public Integer call() {
    throw CnaiException.failure("'cnai distro lock' is not available yet", "record digests by hand for now");
  }
}
