package io.cnai.installer.e2e;

import io.cnai.core.CnaiException;
import io.cnai.installer.images.BuiltImage;
import io.cnai.installer.images.ImageFile;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import io.cnai.installer.images.JibImageBuilder;
import io.cnai.installer.images.Registry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sample-pipelines image ({@code cnai.local/sample-pipelines:0.1.0}): staged by
 * {@code sample-pipelines/image/stage.sh} (the locked Python environment, built on first use, this
 * machine's Python and the libraries both load) and pushed by cnai's image builder to a registry the
 * nodes pull from. Layers are cached, so a second push compresses nothing.
 */
public final class SampleImage {
  private SampleImage() {}

  /** Stages the image's files (building the Python environment when missing); the image file's path. */
  public static Path stage(Path root, Consumer<String> progress) {
    Path script = root.resolve("sample-pipelines/image/stage.sh");
    if (!Files.isRegularFile(script)) {
      throw CnaiException.badInput(script + " is missing", "run cnai from its repository checkout");
    }
    try {
      Process p = new ProcessBuilder("bash", script.toString()).directory(root.toFile()).start();
      Thread errors = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
          r.lines().forEach(l -> progress.accept("image: " + l.replaceFirst("^(venv|image): ", "")));
        } catch (IOException ignored) {
          // the process ended
        }
      }, "cnai-stage-stderr");
      errors.start();
      List<String> out = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        r.lines().forEach(out::add);
      }
      int rc = p.waitFor();
      errors.join();
      if (rc != 0 || out.isEmpty()) {
        throw CnaiException.failure("staging the sample-pipelines image failed (" + script + " exit " + rc + ")",
            rc == 2 ? "read the message above: a Python 3.11 is needed (set PYTHON)" : "read the message above; the Python environment needs PyPI the first time");
      }
      return Path.of(out.get(out.size() - 1));
    } catch (IOException e) {
      throw CnaiException.failure("cannot run " + script + ": " + e.getMessage(), "check that bash is installed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while staging the image", "run it again");
    }
  }

  /** Pushes the staged image to {@code registry} (its upstream-named path: cnai.local/...). */
  public static BuiltImage push(Path imageFile, String registry) {
    Registry r = Registry.parse(registry);
    ImageSpec image = ImageFile.load(imageFile);
    ImageRef target = image.name().inMirror(r.host());
    return JibImageBuilder.fromEnvironment().push(image, r, target);
  }
}
