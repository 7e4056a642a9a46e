package io.cnai.installer.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --require-locked} and {@code --allow-unverified}: the commands that install components. */
public final class VerifyOptions {
  @Option(names = "--require-locked", description = "Refuse components without a locked digest (exit 3), except those named by --allow-unverified.")
  boolean requireLocked;

  @Option(names = "--allow-unverified", paramLabel = "COMPONENT", description = "Install this unlocked component anyway (logged and recorded in the revision); repeatable.")
  List<String> allowUnverified = new ArrayList<>();
}
