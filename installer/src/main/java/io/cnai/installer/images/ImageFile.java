package io.cnai.installer.images;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an image file, strictly (unknown fields, wrong types and missing files are bad input with
 * file:line:column). Paths are relative to the file.
 *
 * <pre>
 * apiVersion: cnai.io/v1alpha1
 * kind: Image
 * name: docker.io/library/hello:1.0    # the reference charts and pods use
 * base: busybox                         # or a root file system tar: rootfs.tar
 * entrypoint: [/bin/sh, -c]
 * cmd: ["echo hello"]
 * env: {GREETING: hello}
 * labels: {org.opencontainers.image.title: hello}
 * workingDir: /app
 * user: "65534"
 * layers:
 *   - from: app          # a file or a directory (copied with its contents)
 *     to: /app
 * </pre>
 */
public final class ImageFile {
  private static final Pattern ABSOLUTE = Pattern.compile("/[^\\u0000]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ImageFile() {}

  public static ImageSpec load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw CnaiException.badInput("image file " + file + " does not exist", "give the path of an image file (docs/nodes.md, Images)");
    }
    Path dir = file.toAbsolutePath().getParent();
    YNode root = Yaml.read(file);
    Fields f = Fields.of(root, "image");
    String api = f.string("apiVersion");
    String kind = f.string("kind");
    if (!"cnai.io/v1alpha1".equals(api) || !"Image".equals(kind)) {
      throw CnaiException.badInput(f.location(), "is not an image file (apiVersion " + api + ", kind " + kind + ")",
          "start the file with 'apiVersion: cnai.io/v1alpha1' and 'kind: Image'");
    }
    ImageRef name = at(f.keyLocation("name"), () -> ImageRef.parse(f.string("name")));
    String baseText = f.optString("base").orElse("busybox");
    ImageSpec.Base base;
    if (baseText.equals("busybox")) {
      base = ImageSpec.Base.busybox();
    } else {
      Path tar = dir.resolve(baseText).normalize();
      if (!Files.isRegularFile(tar)) {
        throw CnaiException.badInput(f.keyLocation("base"), "image.base: " + tar + " is not a file",
            "write 'busybox' or the path (relative to this file) of a root file system tar");
      }
      base = ImageSpec.Base.tar(tar);
    }
    List<String> entrypoint = f.stringList("entrypoint");
    List<String> cmd = f.stringList("cmd");
    Map<String, String> env = strings(f, "env", ENV_NAME, "a variable name (letters, digits, '_')");
    Map<String, String> labels = strings(f, "labels", null, null);
    String workingDir = f.optString("workingDir", ABSOLUTE, "an absolute path").orElse("");
    String user = f.optString("user").orElse("");
    List<ImageSpec.Layer> layers = f.list("layers", n -> {
      Fields l = Fields.of(n, "image.layers[]");
      String from = l.string("from");
      String to = l.string("to", ABSOLUTE, "an absolute path in the image");
      Path src = dir.resolve(from).normalize();
      if (!Files.exists(src)) {
        throw CnaiException.badInput(l.keyLocation("from"), "image.layers[].from: " + src + " does not exist",
            "give a file or directory, relative to " + dir);
      }
      l.done();
      return new ImageSpec.Layer(src, to);
    });
    f.done();
    return new ImageSpec(name, base, layers, entrypoint, cmd, env, labels, workingDir, user);
  }

  private static Map<String, String> strings(Fields f, String key, Pattern keys, String expected) {
    Optional<YNode> n = f.optional(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (n.isEmpty()) {
      return out;
    }
    for (YNode.Entry e : Fields.asMap(n.get(), "image." + key).entries().values()) {
      if (keys != null && !keys.matcher(e.key()).matches()) {
        throw CnaiException.badInput(e.keyLocation(), "image." + key + ": '" + e.key() + "' is not " + expected, "rename it");
      }
      out.put(e.key(), Fields.asString(e.value(), "image." + key + "." + e.key()));
    }
    return out;
  }

  private static <T> T at(io.cnai.core.Location where, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (CnaiException e) {
      if (e.location() == null && where != null) {
        throw CnaiException.badInput(where, e.problem(), e.hint());
      }
      throw e;
    }
  }
}
