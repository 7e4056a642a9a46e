package io.cnai.installer.cli;

import io.cnai.core.Durations;
import io.cnai.installer.lifecycle.Lifecycle;
import io.cnai.installer.render.Mirrors;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --timeout} and {@code --mirrors}: the commands that apply or remove components. */
public final class ApplyOptions {
  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", description = "How long each component may take to become ready: 90s, 5m, 1h (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Mixin MirrorsOption mirrors;

  Duration timeout() {
    return Durations.parse("--timeout", timeout);
  }

  /** The lifecycle of a command: mirrors, progress in the chosen format, the system clock. */
  Lifecycle lifecycle(OutputOptions output, PrintWriter out) {
    Clock clock = Clock.systemUTC();
    return new Lifecycle(Mirrors.from(mirrors.file).renderer(), output.progress(out, clock), clock);
  }

  /** The lifecycle of a command that only reads (status, history): no progress shown, no mirrors. */
  static Lifecycle quiet() {
    return new Lifecycle(Mirrors.from(null).renderer(), io.cnai.installer.lifecycle.Progress.silent(), Clock.systemUTC());
  }
}
