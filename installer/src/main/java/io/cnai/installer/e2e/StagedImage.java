package io.cnai.installer.e2e;

import io.cnai.core.CnaiException;
import io.cnai.installer.images.BuiltImage;
import io.cnai.installer.images.ImageFile;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import io.cnai.installer.images.JibImageBuilder;
import io.cnai.installer.images.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * An image whose files a script of the repository stages (it builds its Python environment on
 * first use and prints the image file's path last), pushed by cnai's image builder to a registry
 * the nodes pull from under the image's upstream-named path ({@code cnai.local/...}). Layers are
 * cached, so a second push compresses nothing.
 */
public final class StagedImage {
  private StagedImage() {}

  /** Runs {@code script}, its progress prefixed with {@code label}; the image file's path. */
  public static Path stage(Path root, String script, String label, Consumer<String> progress) {
    List<String> out = Scripts.run(root, script, l -> progress.accept(label + ": " + l.replaceFirst("^(venv|image): ", "")),
        rc -> rc == 2 ? "read the message above: a Python 3.11 in a prefix of its own is needed (set PYTHON)"
            : "read the message above; the Python environment needs PyPI the first time");
    if (out.isEmpty()) {
      throw CnaiException.failure(script + " printed no image file", "run it by hand to see why");
    }
    return Path.of(out.get(out.size() - 1));
  }

  /** Pushes the staged image to {@code registry}. */
  public static BuiltImage push(Path imageFile, String registry) {
    Registry r = Registry.parse(registry);
    ImageSpec image = ImageFile.load(imageFile);
    ImageRef target = image.name().inMirror(r.host());
    return JibImageBuilder.fromEnvironment().push(image, r, target);
  }
}
