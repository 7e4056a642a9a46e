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
 * The sample-pipelines image ({@code cnai.local/sample-pipelines:0.1.0}): staged by
 * {@code sample-pipelines/image/stage.sh} (the locked Python environment, built on first use, this
 * machine's Python and the libraries both load) and pushed by cnai's image builder to a registry the
 * nodes pull from. Layers are cached, so a second push compresses nothing.
 */
public final class SampleImage {
  private SampleImage() {}

  /** Stages the image's files (building the Python environment when missing); the image file's path. */
  public static Path stage(Path root, Consumer<String> progress) {
    List<String> out = Scripts.run(root, "sample-pipelines/image/stage.sh", l -> progress.accept("image: " + l.replaceFirst("^(venv|image): ", "")),
        rc -> rc == 2 ? "read the message above: a Python 3.11 is needed (set PYTHON)" : "read the message above; the Python environment needs PyPI the first time");
    if (out.isEmpty()) {
      throw CnaiException.failure("sample-pipelines/image/stage.sh printed no image file", "run it by hand to see why");
    }
    return Path.of(out.get(out.size() - 1));
  }

  /** Pushes the staged image to {@code registry} (its upstream-named path: cnai.local/...). */
  public static BuiltImage push(Path imageFile, String registry) {
    Registry r = Registry.parse(registry);
    ImageSpec image = ImageFile.load(imageFile);
    ImageRef target = image.name().inMirror(r.host());
    return JibImageBuilder.fromEnvironment().push(image, r, target);
  }
}
