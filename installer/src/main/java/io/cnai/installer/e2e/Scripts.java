package io.cnai.installer.e2e;

import io.cnai.core.CnaiException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/** Runs a script of the repository with bash: its stderr lines as progress, its stdout lines returned. */
public final class Scripts {
  private Scripts() {}

  /**
   * Runs {@code root/script}; a non-zero exit is a failure (exit 2 of the script: bad input) whose
   * hint {@code hint} gives for the exit code. Lines on stdout that start with {@code [} are progress too.
   */
  public static List<String> run(Path root, String script, Consumer<String> progress, IntFunction<String> hint) {
    Path file = root.resolve(script);
    if (!Files.isRegularFile(file)) {
      throw CnaiException.badInput(file + " is missing", "run cnai from its repository checkout");
    }
    try {
      Process p = new ProcessBuilder("bash", file.toString()).directory(root.toFile()).start();
      Thread errors = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
          r.lines().forEach(progress);
        } catch (IOException ignored) {
          // the process ended
        }
      }, "cnai-script-stderr");
      errors.start();
      List<String> out = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        r.lines().forEach(l -> {
          if (l.startsWith("[")) {
            progress.accept(l);
          } else {
            out.add(l);
          }
        });
      }
      int rc = p.waitFor();
      errors.join();
      if (rc != 0) {
        String problem = script + " failed (exit " + rc + ")";
        throw rc == 2 ? CnaiException.badInput(problem, hint.apply(rc)) : CnaiException.failure(problem, hint.apply(rc));
      }
      return out;
    } catch (IOException e) {
      throw CnaiException.failure("cannot run " + file + ": " + e.getMessage(), "check that bash is installed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while " + script + " ran", "run it again");
    }
  }
}
