package io.cnai.installer.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The image builder on jib-core: no Docker daemon. The base root file system is a local base image
 * ({@link BaseImages}); each {@link ImageSpec.Layer} becomes one file layer (owner root, times
 * fixed, executable bits kept, symbolic links followed); the image is OCI, created at the epoch,
 * so the same inputs give the same digest. Layers are cached under {@code cache} (base layers in
 * {@code base/}, file layers in {@code layers/}), so a rebuild compresses only what changed.
 */
public final class JibImageBuilder implements ImageBuilder {
  private final Path cache;

  public JibImageBuilder(Path cache) {
    this.cache = cache.toAbsolutePath();
  }

  /** {@code $XDG_CACHE_HOME/cnai/images} or {@code ~/.cache/cnai/images}. */
  public static JibImageBuilder fromEnvironment() {
    return new JibImageBuilder(cacheBase().resolve("cnai").resolve("images"));
  }

  /** {@code $XDG_CACHE_HOME}, else {@code ~/.cache}: under its {@code cnai/} the images, environments and their layers. */
  public static Path cacheBase() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
  }

  public Path cache() {
    return cache;
  }

  @Override
  public BuiltImage toTar(ImageSpec spec, Path tar) {
    try {
      Files.createDirectories(tar.toAbsolutePath().getParent());
      JibContainer c = containerize(spec, Containerizer.to(TarImage.at(tar.toAbsolutePath()).named(spec.name().toString())));
      ImageArchives.name(tar, spec.name().toString(), spec.name().tag());
      ImageArchives.Description d = ImageArchives.describe(tar);
      return new BuiltImage(spec.name().toString(), c.getDigest().toString(), c.getImageId().toString(), d.layers(), d.bytes());
    } catch (IOException | InvalidImageReferenceException e) {
      throw CnaiException.failure("cannot write the image " + spec.name() + " to " + tar + ": " + Registry.describe(e),
          "check that " + tar.toAbsolutePath().getParent() + " is writable", e);
    }
  }

  @Override
  public BuiltImage push(ImageSpec spec, Registry registry, ImageRef target) {
    registry.check();
    try {
      RegistryImage to = RegistryImage.named(target.toString());
      JibContainer c = containerize(spec, Containerizer.to(to).setAllowInsecureRegistries(registry.plainHttp()));
      JsonNode m = registry.manifest(target.repository(), c.getDigest().toString());
      long bytes = m.path("config").path("size").asLong();
      for (JsonNode l : m.path("layers")) {
        bytes += l.path("size").asLong();
      }
      return new BuiltImage(target.toString(), c.getDigest().toString(), c.getImageId().toString(), m.path("layers").size(), bytes);
    } catch (InvalidImageReferenceException e) {
      throw CnaiException.badInput("cannot push to " + target + ": " + e.getMessage(), "write the target as HOST:PORT/PATH:TAG");
    }
  }

  private JibContainer containerize(ImageSpec spec, Containerizer containerizer) {
    Path base = BaseImages.archive(spec.base(), cache.resolve("base"));
    // jib's steps wait on each other: a bounded pool would starve them
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cnai-image-build");
      t.setDaemon(true);
      return t;
    });
    try {
      JibContainerBuilder b = Jib.from(TarImage.at(base))
          .setFormat(ImageFormat.OCI)
          .setCreationTime(Instant.EPOCH)
          .setEntrypoint(spec.entrypoint().isEmpty() ? null : spec.entrypoint())
          .setProgramArguments(spec.cmd().isEmpty() ? null : spec.cmd())
          .setEnvironment(new TreeMap<>(spec.env()))
          .setLabels(new TreeMap<>(spec.labels()));
      if (!spec.workingDir().isEmpty()) {
        b.setWorkingDirectory(AbsoluteUnixPath.get(spec.workingDir()));
      }
      if (!spec.user().isEmpty()) {
        b.setUser(spec.user());
      }
      List<FileEntriesLayer> layers = new ArrayList<>();
      int i = 0;
      for (ImageSpec.Layer l : spec.layers()) {
        if (!Files.exists(l.from())) {
          throw CnaiException.badInput("layer " + i + " of " + spec.name() + ": " + l.from() + " does not exist",
              "give a file or directory of this machine");
        }
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("layer-" + i++);
        com.google.cloud.tools.jib.api.buildplan.FilePermissionsProvider modes = (source, target) ->
            Files.isDirectory(source) || Files.isExecutable(source) ? FilePermissions.fromOctalString("755") : FilePermissions.fromOctalString("644");
        Path from = l.from().toAbsolutePath();
        if (AbsoluteUnixPath.get(l.to()).toString().equals("/") && Files.isDirectory(from)) {
          // a directory's contents at the root (the root itself has no name to give an entry)
          try (var children = Files.list(from)) {
            for (Path c : children.sorted().toList()) {
              layer.addEntryRecursive(c, AbsoluteUnixPath.get("/" + c.getFileName()), modes);
            }
          }
        } else {
          layer.addEntryRecursive(from, AbsoluteUnixPath.get(l.to()), modes);
        }
        layers.add(layer.build());
      }
      b.setFileEntriesLayers(layers);
      containerizer.setBaseImageLayersCache(cache.resolve("layers"))
          .setApplicationLayersCache(cache.resolve("layers"))
          .setExecutorService(pool)
          .setToolName("cnai");
      return b.containerize(containerizer);
    } catch (IOException e) {
      throw CnaiException.failure("cannot build image " + spec.name() + ": " + Registry.describe(e),
          "check the layers' files and that " + cache + " is writable", e);
    } catch (RegistryException e) {
      throw CnaiException.failure("the registry refused image " + spec.name() + ": " + Registry.describe(e),
          "check the registry's address and log; a registry without TLS is written http://HOST:PORT", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof CnaiException ce) {
        throw ce;
      }
      throw CnaiException.failure("cannot build image " + spec.name() + ": " + Registry.describe(cause),
          cause instanceof IOException
              ? "check that the registry runs and is reachable (a registry without TLS is written http://HOST:PORT)"
              : "run again with -v for the cause", cause);
    } catch (CacheDirectoryCreationException e) {
      throw CnaiException.failure("cannot create the image cache " + cache + ": " + e.getMessage(),
          "check that it is writable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while building image " + spec.name(), null, e);
    } finally {
      pool.shutdownNow();
    }
  }
}
