package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.StackContext;
import picocli.CommandLine.Mixin;

/** Which cluster and how to print: every lifecycle command has these. */
public final class ClusterOptions {
  @Mixin KubeOptions kube;
  @Mixin OutputOptions output;

  /** The cluster's context for a command that only reads (status, history): no progress, no mirrors. */
  StackContext openReading() {
    return ApplyOptions.quiet().open(kube.access());
  }
}
