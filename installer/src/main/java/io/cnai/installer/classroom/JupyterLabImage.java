package io.cnai.installer.classroom;

import io.cnai.core.CnaiException;
import io.cnai.installer.e2e.Scripts;
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
 * The classroom's JupyterLab image ({@link Manifests.Settings#DEFAULT_IMAGE}): staged by
 * {@code education/jupyterlab/stage.sh} (its own hash-locked environment, built on first use, this
 * machine's Python and the libraries both load) and pushed by cnai's image builder to the registry
 * the nodes pull {@code cnai.local/...} from. Layers are cached: a second push compresses nothing.
 */
public final class JupyterLabImage {
  /** The stage script, relative to the repository root. */
  public static final String STAGE = "education/jupyterlab/stage.sh";

  private JupyterLabImage() {}

  /** Stages the image's files (building the environment when missing); the image file's path. */
  public static Path stage(Path root, Consumer<String> progress) {
    List<String> out = Scripts.run(root, STAGE, l -> progress.accept("jupyterlab image: " + l.replaceFirst("^(venv|image): ", "")),
        rc -> rc == 2 ? "read the message above: a Python 3.11 in a prefix of its own is needed (set PYTHON)"
            : "read the message above; the environment needs PyPI the first time");
    if (out.isEmpty()) {
      throw CnaiException.failure(STAGE + " printed no image file", "run it by hand to see why");
    }
    return Path.of(out.get(out.size() - 1));
  }

  /** Pushes the staged image to {@code registry} under its upstream-named path ({@code cnai.local/...}). */
  public static BuiltImage push(Path imageFile, String registry) {
    Registry r = Registry.parse(registry);
    ImageSpec image = ImageFile.load(imageFile);
    ImageRef target = image.name().inMirror(r.host());
    return JibImageBuilder.fromEnvironment().push(image, r, target);
  }
}
