package io.cnai.installer.images;

import com.fasterxml.jackson.databind.JsonNode;
import io.cnai.core.CnaiException;
import io.cnai.installer.json.Mappers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads what an OCI image archive (an OCI image layout in a tar file) holds. */
public final class ImageArchives {
  private ImageArchives() {}

  /**
   * The first image of an archive.
   *
   * @param manifestDigest its manifest's digest
   * @param manifest its manifest
   * @param config its configuration
   * @param layers how many layers
   * @param bytes config and (compressed) layers, in bytes
   */
  public record Description(String manifestDigest, JsonNode manifest, JsonNode config, int layers, long bytes) {}

  public static Description describe(Path archive) {
    Map<String, byte[]> small = new LinkedHashMap<>();
    Map<String, Long> sizes = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        sizes.put(name, e.getSize());
        if (e.isFile() && e.getSize() < 1_000_000) {
          small.put(name, tar.readAllBytes());
        }
      }
      JsonNode index = Mappers.JSON.readTree(need(small, "index.json", archive));
      String digest = index.path("manifests").path(0).path("digest").asText();
      JsonNode manifest = Mappers.JSON.readTree(need(small, blob(digest), archive));
      if (manifest.has("manifests")) {
        // an index of one image
        digest = manifest.path("manifests").path(0).path("digest").asText();
        manifest = Mappers.JSON.readTree(need(small, blob(digest), archive));
      }
      JsonNode config = Mappers.JSON.readTree(need(small, blob(manifest.path("config").path("digest").asText()), archive));
      long bytes = manifest.path("config").path("size").asLong();
      for (JsonNode l : manifest.path("layers")) {
        bytes += l.path("size").asLong();
      }
      return new Description(digest, manifest, config, manifest.path("layers").size(), bytes);
    } catch (IOException ex) {
      throw CnaiException.failure("cannot read the image archive " + archive + ": " + ex.getMessage(), null, ex);
    }
  }

  /**
   * Names the archive's image as containerd's importer reads it: {@code io.containerd.image.name}
   * the full reference ({@code docker.io/library/hello:1.0}; jib writes only {@code hello:1.0},
   * which {@code ctr images import} would keep as it is), {@code org.opencontainers.image.ref.name}
   * the tag. Only {@code index.json} changes; blobs and digests do not.
   */
  static void name(Path archive, String reference, String tag) {
    Path tmp = archive.resolveSibling(archive.getFileName() + ".naming");
    try {
      try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in);
          var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(tmp))) {
        out.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.BIGNUMBER_POSIX);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
          if (e.getName().equals("index.json") || e.getName().equals("./index.json")) {
            com.fasterxml.jackson.databind.node.ObjectNode index = (com.fasterxml.jackson.databind.node.ObjectNode) Mappers.JSON.readTree(tar.readAllBytes());
            for (JsonNode m : index.path("manifests")) {
              com.fasterxml.jackson.databind.node.ObjectNode a = ((com.fasterxml.jackson.databind.node.ObjectNode) m).putObject("annotations");
              a.put("io.containerd.image.name", reference);
              a.put("org.opencontainers.image.ref.name", tag);
            }
            byte[] b = Mappers.JSON.writeValueAsBytes(index);
            TarArchiveEntry n = new TarArchiveEntry(e.getName());
            n.setSize(b.length);
            n.setModTime(e.getModTime());
            n.setMode(e.getMode());
            out.putArchiveEntry(n);
            out.write(b);
          } else {
            out.putArchiveEntry(e);
            tar.transferTo(out);
          }
          out.closeArchiveEntry();
        }
      }
      Files.move(tmp, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException ex) {
      throw CnaiException.failure("cannot name the image in " + archive + ": " + ex.getMessage(), null, ex);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing left to clean
      }
    }
  }

  static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static byte[] need(Map<String, byte[]> files, String name, Path archive) {
    byte[] b = files.get(name);
    if (b == null) {
      throw CnaiException.badInput(archive + " is not an OCI image archive: no " + name, "write it with cnai images build --tar");
    }
    return b;
  }
}
