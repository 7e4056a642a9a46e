package io.cnai.installer.cli;

import picocli.CommandLine.Option;

/** {@code --delete-pvcs} and {@code --delete-crds}: users' data goes only when these say so. */
public final class DeleteOptions {
  @Option(names = "--delete-pvcs", description = "Also delete the stack's PersistentVolumeClaims (a cluster cnai made goes with all its data anyway).")
  boolean pvcs;

  @Option(names = "--delete-crds", description = "Also delete the CRDs cnai applied, and with them every custom resource.")
  boolean crds;
}
