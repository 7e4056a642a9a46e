package io.cnai.installer.cluster.sim;

import io.cnai.core.CnaiException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs short system commands (ip, umount, ctr) and finds programs on the PATH. */
final class Commands {
  private Commands() {}

  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  /** Runs the command and returns its exit status and output (stdout and stderr together). */
  static Result run(List<String> cmd, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      // The commands print little; read everything, then wait.
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(124, new String(out, StandardCharsets.UTF_8) + "\n(timed out after " + timeoutSeconds + "s)");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    }
  }

  /** Runs the command and fails with its output when it does not succeed. */
  static String check(String what, List<String> cmd) {
    Result r = run(cmd, 120);
    if (!r.ok()) {
      throw CnaiException.failure(
          "cannot " + what + ": " + String.join(" ", cmd) + " exited with " + r.exit() + ": " + r.output(), null);
    }
    return r.output();
  }

  /** The program's path on $PATH (and the sbin directories, which root's PATH may lack). */
  static Optional<Path> which(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
