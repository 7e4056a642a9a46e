package io.cnai.installer.cluster.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds OCI image archives (an OCI image layout in a tar file, as {@code ctr images import}
 * reads it) from files of this machine, without a container engine: one uncompressed layer, a
 * config, a manifest per image, and an index that names each image
 * ({@code io.containerd.image.name}). Every image here shares the layer. The output is
 * reproducible: fixed times and owners, entries in a fixed order.
 */
public final class OciArchive {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String LAYER = "application/vnd.oci.image.layer.v1.tar";

  /**
   * An image: its full name, its entrypoint (may be empty) and its default arguments ({@code Cmd},
   * replaced by a pod's {@code args}).
   */
  record Image(String name, List<String> entrypoint, List<String> cmd) {}

  /** A file of the layer: a directory, a regular file (with content) or a symbolic link. */
  public record Entry(String path, char type, int mode, byte[] content, String link) {
    public static Entry dir(String path) {
      return new Entry(path, '5', 0755, new byte[0], "");
    }

    public static Entry file(String path, int mode, byte[] content) {
      return new Entry(path, '0', mode, content, "");
    }

    public static Entry symlink(String path, String target) {
      return new Entry(path, '2', 0777, new byte[0], target);
    }
  }

  private OciArchive() {}

  /**
   * A root file system made of a static busybox: /bin/busybox, a link for each of its applets in
   * /bin, and the directories a container runtime mounts over.
   */
  public static List<Entry> busyboxRootfs(Path busybox, List<String> applets) throws IOException {
    List<Entry> e = new ArrayList<>();
    for (String d : List.of("bin", "dev", "etc", "proc", "root", "sys", "tmp", "var")) {
      e.add(Entry.dir(d));
    }
    e.add(Entry.file("bin/busybox", 0755, Files.readAllBytes(busybox)));
    for (String a : applets) {
      if (!a.equals("busybox") && a.matches("[a-z0-9_.\\[-]+")) {
        e.add(Entry.symlink("bin/" + a, "busybox"));
      }
    }
    e.add(Entry.file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n".getBytes(StandardCharsets.UTF_8)));
    e.add(Entry.file("etc/group", 0644, "root:x:0:\nnobody:x:65534:\n".getBytes(StandardCharsets.UTF_8)));
    return e;
  }

  /** The applets of a busybox binary ({@code busybox --list}). */
  public static List<String> busyboxApplets(Path busybox) {
    return List.of(Commands.check("list busybox's applets", List.of(busybox.toString(), "--list")).split("\\s+"));
  }

  /** Writes an archive holding {@code images}, all with the one layer made of {@code rootfs}. */
  static void write(Path out, List<Entry> rootfs, List<Image> images, String arch) throws IOException {
    byte[] layer = tar(rootfs);
    String layerDigest = sha256(layer);
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    blobs.put(layerDigest, layer);
    StringBuilder index = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[");
    for (int i = 0; i < images.size(); i++) {
      Image img = images.get(i);
      byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Entrypoint\":"
              + jsonArray(img.entrypoint()) + ",\"Cmd\":" + jsonArray(img.cmd()) + ",\"WorkingDir\":\"/\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
              + layerDigest + "\"]},\"history\":[{\"created_by\":\"cnai: busybox root file system\"}]}")
          .getBytes(StandardCharsets.UTF_8);
      String configDigest = sha256(config);
      blobs.put(configDigest, config);
      byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":{\"mediaType\":\"" + CONFIG
              + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\""
              + LAYER + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}")
          .getBytes(StandardCharsets.UTF_8);
      String manifestDigest = sha256(manifest);
      blobs.put(manifestDigest, manifest);
      String tag = img.name().substring(img.name().lastIndexOf(':') + 1);
      index.append(i == 0 ? "" : ",")
          .append("{\"mediaType\":\"").append(MANIFEST).append("\",\"digest\":\"").append(manifestDigest)
          .append("\",\"size\":").append(manifest.length)
          .append(",\"platform\":{\"architecture\":\"").append(arch).append("\",\"os\":\"linux\"}")
          .append(",\"annotations\":{\"io.containerd.image.name\":\"").append(img.name())
          .append("\",\"org.opencontainers.image.ref.name\":\"").append(tag).append("\"}}");
    }
    index.append("]}");
    List<Entry> outer = new ArrayList<>();
    outer.add(Entry.file("oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8)));
    outer.add(Entry.file("index.json", 0644, index.toString().getBytes(StandardCharsets.UTF_8)));
    outer.add(Entry.dir("blobs"));
    outer.add(Entry.dir("blobs/sha256"));
    blobs.forEach((d, b) -> outer.add(Entry.file("blobs/sha256/" + d.substring("sha256:".length()), 0644, b)));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, tar(outer));
  }

  /** The OCI name of this JVM's architecture. */
  public static String arch() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> a;
    };
  }

  public static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String jsonArray(List<String> items) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      sb.append(i == 0 ? "" : ",").append('"').append(items.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return sb.append(']').toString();
  }

  /** A POSIX ustar archive of the entries (names up to 100 bytes), owned by root, time 0. */
  public static byte[] tar(List<Entry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Entry e : entries) {
      byte[] h = new byte[512];
      String name = e.type() == '5' ? e.path() + "/" : e.path();
      put(h, 0, 100, name);
      put(h, 100, 8, octal(e.mode(), 7));
      put(h, 108, 8, octal(0, 7));
      put(h, 116, 8, octal(0, 7));
      put(h, 124, 12, octal(e.type() == '0' ? e.content().length : 0, 11));
      put(h, 136, 12, octal(0, 11));
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      h[156] = (byte) e.type();
      put(h, 157, 100, e.link());
      put(h, 257, 6, "ustar");
      put(h, 263, 2, "00");
      put(h, 265, 32, "root");
      put(h, 297, 32, "root");
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, 8, octal(sum, 6) + "\0 ");
      out.write(h);
      if (e.type() == '0') {
        out.write(e.content());
        pad(out, e.content().length);
      }
    }
    out.write(new byte[1024]);
    return out.toByteArray();
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int rest = (int) (size % 512);
    if (rest != 0) {
      out.write(new byte[512 - rest]);
    }
  }

  private static String octal(long v, int digits) {
    String s = Long.toOctalString(v);
    return "0".repeat(Math.max(0, digits - s.length())) + s;
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > len) {
      throw new IllegalArgumentException("too long for a tar header: " + s);
    }
    System.arraycopy(b, 0, h, off, b.length);
  }
}
