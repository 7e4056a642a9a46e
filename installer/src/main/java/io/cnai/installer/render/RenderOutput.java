package io.cnai.installer.render;

import io.cnai.core.CnaiException;
import io.cnai.installer.helm.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a rendered stack to a folder: one folder per component, prefixed by its wave
 * ({@code 01-cert-manager/}), with {@code crds.yaml}, {@code manifests.yaml} and {@code hooks.yaml}.
 * Written to a temporary folder beside the target and moved into place, so a failed render leaves
 * the target as it was.
 */
public final class RenderOutput {
  private RenderOutput() {}

  public static void write(StackRenderer.RenderedStack stack, Path out, String planJson) {
    Path abs = out.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs.getParent());
      if (Files.exists(abs) && !Files.isDirectory(abs)) {
        throw CnaiException.badInput("--out " + out + " is a file", "pass a folder");
      }
      if (Files.isDirectory(abs)) {
        try (Stream<Path> s = Files.list(abs)) {
          if (s.findAny().isPresent() && !Files.exists(abs.resolve("plan.json"))) {
            throw CnaiException.badInput(
                "--out " + out + " is not empty and was not written by 'cnai render'",
                "pass an empty or new folder; cnai does not overwrite other files");
          }
        }
      }
      Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp");
      Files.writeString(tmp.resolve("plan.json"), planJson);
      for (StackRenderer.RenderedComponent c : stack.components()) {
        Path dir = tmp.resolve(String.format("%02d-%s", c.step().wave(), c.step().name()));
        Files.createDirectories(dir);
        writeDocs(dir.resolve("crds.yaml"), c.rendered().crds());
        writeDocs(dir.resolve("manifests.yaml"), c.rendered().resources());
        writeDocs(dir.resolve("hooks.yaml"), c.rendered().hooks());
      }
      if (Files.exists(abs)) {
        deleteTree(abs);
      }
      Files.move(tmp, abs);
    } catch (IOException e) {
      throw CnaiException.failure("cannot write " + out + ": " + e.getMessage(), "check the path and free space");
    }
  }

  private static void writeDocs(Path file, List<Manifest> docs) throws IOException {
    if (docs.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (Manifest m : docs) {
      sb.append("---\n").append(m.yaml().strip()).append('\n');
    }
    Files.writeString(file, sb.toString());
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
