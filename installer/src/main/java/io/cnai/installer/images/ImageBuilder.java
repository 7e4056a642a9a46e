package io.cnai.installer.images;

import java.nio.file.Path;

/**
 * Builds images without a container engine. The one seam in front of the image library
 * ({@link JibImageBuilder}); nothing outside this package imports it.
 */
public interface ImageBuilder {
  /** Builds {@code spec} into an OCI image archive at {@code tar} (what {@code ctr images import} reads). */
  BuiltImage toTar(ImageSpec spec, Path tar);

  /** Builds {@code spec} and pushes it to {@code target} in {@code registry}. */
  BuiltImage push(ImageSpec spec, Registry registry, ImageRef target);
}
