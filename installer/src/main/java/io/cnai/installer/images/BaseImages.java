package io.cnai.installer.images;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.sim.LocalProvider;
import io.cnai.installer.cluster.sim.OciArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The base of an image as a one-layer image archive in the {@code docker save} layout
 * ({@code manifest.json}, a config, {@code layer.tar}), which the image library reads as a local
 * base image. The root file system's tar is the layer, byte for byte (links and owners kept),
 * which file layers cannot carry. Archives are cached by the layer's digest.
 */
final class BaseImages {
  private BaseImages() {}

  /** The base archive of {@code base}, made once per root file system under {@code cache}. */
  static Path archive(ImageSpec.Base base, Path cache) {
    try {
      Files.createDirectories(cache);
      Path layer;
      String what;
      if (base.kind() == ImageSpec.Base.Kind.BUSYBOX) {
        Path busybox = LocalProvider.busybox();
        if (!Files.isExecutable(busybox)) {
          throw CnaiException.badInput("the busybox base needs a static busybox at " + busybox,
              "apt-get install -y busybox-static, or use a root file system tar as the base");
        }
        byte[] tar = OciArchive.tar(OciArchive.busyboxRootfs(busybox, OciArchive.busyboxApplets(busybox)));
        layer = cache.resolve("busybox-" + OciArchive.sha256(tar).substring(7, 19) + ".tar");
        if (!Files.exists(layer)) {
          writeAtomically(layer, out -> out.write(tar));
        }
        what = "cnai: busybox root file system (" + busybox + ")";
      } else {
        layer = base.tar();
        if (!Files.isRegularFile(layer)) {
          throw CnaiException.badInput("the base root file system " + layer + " is not a file",
              "give a tar of a root file system, e.g. tar -C rootfs -cf rootfs.tar .");
        }
        what = "cnai: root file system " + layer.getFileName();
      }
      String diffId = sha256(layer);
      Path archive = cache.resolve(diffId.substring(7) + ".tar");
      if (Files.isRegularFile(archive)) {
        return archive;
      }
      String config = "{\"architecture\":\"" + OciArchive.arch() + "\",\"os\":\"linux\",\"config\":{\"Env\":"
          + "[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"WorkingDir\":\"/\"},"
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
          + "\"history\":[{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"" + what.replace("\"", "'") + "\"}]}";
      String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"cnai.local/base:" + diffId.substring(7, 19)
          + "\"],\"Layers\":[\"layer.tar\"]}]";
      Path rootfs = layer;
      writeAtomically(archive, out -> {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
          tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
          put(tar, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
          put(tar, "config.json", config.getBytes(StandardCharsets.UTF_8));
          TarArchiveEntry e = new TarArchiveEntry("layer.tar");
          e.setSize(Files.size(rootfs));
          e.setModTime(0);
          tar.putArchiveEntry(e);
          Files.copy(rootfs, tar);
          tar.closeArchiveEntry();
        }
      });
      return archive;
    } catch (IOException e) {
      throw CnaiException.failure("cannot prepare the base image (" + base + ") under " + cache + ": " + e.getMessage(),
          "check that " + cache + " is writable", e);
    }
  }

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void writeAtomically(Path to, Writer w) throws IOException {
    Path tmp = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        w.write(out);
      }
      Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setModTime(0);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return "sha256:" + HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
