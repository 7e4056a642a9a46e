package io.cnai.installer.e2e;

import io.cnai.installer.images.BuiltImage;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The sample-pipelines image ({@code cnai.local/sample-pipelines:0.1.0}): staged by
 * {@code sample-pipelines/image/stage.sh} (the locked Python environment, built on first use, this
 * machine's Python and the libraries both load) and pushed as a {@link StagedImage}.
 */
public final class SampleImage {
  /** The stage script, relative to the repository root. */
  public static final String STAGE = "sample-pipelines/image/stage.sh";

  private SampleImage() {}

  /** Stages the image's files (building the Python environment when missing); the image file's path. */
  public static Path stage(Path root, Consumer<String> progress) {
    return StagedImage.stage(root, STAGE, "image", progress);
  }

  /** Pushes the staged image to {@code registry} (its upstream-named path: cnai.local/...). */
  public static BuiltImage push(Path imageFile, String registry) {
    return StagedImage.push(imageFile, registry);
  }
}
