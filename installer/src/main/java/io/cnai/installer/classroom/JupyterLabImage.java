package io.cnai.installer.classroom;

import io.cnai.installer.e2e.StagedImage;
import io.cnai.installer.images.BuiltImage;
import java.nio.file.Path;
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
    return StagedImage.stage(root, STAGE, "jupyterlab image", progress);
  }

  /** Pushes the staged image to {@code registry} under its upstream-named path ({@code cnai.local/...}). */
  public static BuiltImage push(Path imageFile, String registry) {
    return StagedImage.push(imageFile, registry);
  }
}
