package io.cnai.installer.cli;

import io.cnai.core.Durations;
import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.lifecycle.Lifecycle;
import io.cnai.installer.lifecycle.Progress;
import io.cnai.installer.lifecycle.StackContext;
import io.cnai.installer.render.Mirrors;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The commands that apply or remove components: the cluster, the output, {@code --timeout} and {@code --mirrors}. */
public final class ApplyOptions {
  @Mixin ClusterOptions cluster;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", description = "How long each component may take to become ready: 90s, 5m, 1h (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Mixin MirrorsOption mirrors;

  Duration timeout() {
    return Durations.parse("--timeout", timeout);
  }

  OutputOptions output() {
    return cluster.output;
  }

  KubeOptions kube() {
    return cluster.kube;
  }

  /** The lifecycle of a command: mirrors, progress in the chosen format, the system clock. */
  Lifecycle lifecycle(PrintWriter out) {
    Clock clock = Clock.systemUTC();
    return new Lifecycle(Mirrors.from(mirrors.file).renderer(), cluster.output.progress(out, clock), clock);
  }

  /** Reads the kubeconfig and the mirrors (bad input said first), then connects. */
  StackContext open(PrintWriter out) {
    ClusterAccess access = cluster.kube.access();
    return lifecycle(out).open(access);
  }

  /** The lifecycle of a command that only reads (status, history): no progress shown, no mirrors. */
  static Lifecycle quiet() {
    return new Lifecycle(Mirrors.from(null).renderer(), Progress.silent(), Clock.systemUTC());
  }
}
