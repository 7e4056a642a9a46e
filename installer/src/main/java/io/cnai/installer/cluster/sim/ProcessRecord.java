package io.cnai.installer.cluster.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What cnai wrote down about a process it started: pid, start time and binary. A pid is only
 * trusted while a live process with that pid, start time and binary exists, so that a recycled
 * pid is never killed.
 */
record ProcessRecord(long pid, Instant started, String command) {
  static final Duration START_TOLERANCE = Duration.ofSeconds(2);

  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    String text = "pid=" + pid + "\nstarted=" + started + "\ncommand=" + command + "\n";
    SimPki.writeText(file, text, false);
  }

  static Optional<ProcessRecord> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (var in = Files.newBufferedReader(file)) {
      Properties p = new Properties();
      p.load(in);
      return Optional.of(
          new ProcessRecord(
              Long.parseLong(p.getProperty("pid")),
              Instant.parse(p.getProperty("started")),
              p.getProperty("command")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static ProcessRecord of(ProcessHandle h, String command) {
    Instant started = h.info().startInstant().orElse(Instant.EPOCH);
    return new ProcessRecord(h.pid(), started, command);
  }

  /** The live process this record describes, if it still runs. */
  Optional<ProcessHandle> live() {
    return ProcessHandle.of(pid).filter(h -> !gone(h)).filter(this::same);
  }

  /**
   * True when the process has exited. A process whose parent is gone may linger as a zombie until
   * an init process reaps it; it counts as exited.
   */
  static boolean gone(ProcessHandle h) {
    if (!h.isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return !h.isAlive();
    }
  }

  private boolean same(ProcessHandle h) {
    ProcessHandle.Info info = h.info();
    boolean startOk =
        info.startInstant()
            .map(s -> Duration.between(s, started).abs().compareTo(START_TOLERANCE) <= 0)
            .orElse(true);
    // Right after the start the process may still be setsid (or nsenter), before it execs the
    // binary; a binary replaced on disk shows as "<path> (deleted)".
    boolean commandOk =
        info.command()
            .map(c -> c.startsWith(command) || c.endsWith("/setsid") || c.endsWith("/nsenter"))
            .orElse(true);
    return startOk && commandOk;
  }
}
