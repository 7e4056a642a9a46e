package io.cnai.installer.images;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an image holds: a base root file system, layers of files on top of it, and its
 * configuration. Built by an {@link ImageBuilder}; read from a file by {@link ImageFile}.
 *
 * @param name the image's reference ({@code docker.io/library/hello:1.0}); where it is pushed
 *     depends on the registry given (see {@link ImageRef#inMirror})
 * @param base the root file system under the layers
 * @param layers each one image layer: a file or directory of this machine copied to a path
 * @param entrypoint the entrypoint (may be empty)
 * @param cmd default arguments, replaced by a pod's {@code args}
 * @param env environment variables, added to the base's ({@code PATH})
 * @param labels image labels
 * @param workingDir absolute path, or empty for {@code /}
 * @param user user (name or uid[:gid]), or empty for root
 */
public record ImageSpec(
    ImageRef name,
    Base base,
    List<Layer> layers,
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    Map<String, String> labels,
    String workingDir,
    String user) {

  public ImageSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(base, "base");
    layers = List.copyOf(layers);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
  }

  /** An image with only a base and a command; add to it with the {@code with...} methods. */
  public static ImageSpec of(ImageRef name, Base base) {
    return new ImageSpec(name, base, List.of(), List.of(), List.of(), Map.of(), Map.of(), "", "");
  }

  public ImageSpec withLayers(List<Layer> l) {
    return new ImageSpec(name, base, l, entrypoint, cmd, env, labels, workingDir, user);
  }

  public ImageSpec withEntrypoint(List<String> e) {
    return new ImageSpec(name, base, layers, e, cmd, env, labels, workingDir, user);
  }

  public ImageSpec withCmd(List<String> c) {
    return new ImageSpec(name, base, layers, entrypoint, c, env, labels, workingDir, user);
  }

  public ImageSpec withEnv(Map<String, String> e) {
    return new ImageSpec(name, base, layers, entrypoint, cmd, e, labels, workingDir, user);
  }

  public ImageSpec withLabels(Map<String, String> l) {
    return new ImageSpec(name, base, layers, entrypoint, cmd, env, l, workingDir, user);
  }

  public ImageSpec withName(ImageRef n) {
    return new ImageSpec(n, base, layers, entrypoint, cmd, env, labels, workingDir, user);
  }

  /**
   * The root file system under the layers: {@code busybox} (Debian's static busybox, a link per
   * applet, as the local nodes' own images) or a tar file of a root file system (what
   * {@code debootstrap} makes, tarred: {@code tar -C rootfs -cf rootfs.tar .}).
   */
  public record Base(Kind kind, Path tar) {
    public enum Kind { BUSYBOX, TAR }

    public static Base busybox() {
      return new Base(Kind.BUSYBOX, null);
    }

    public static Base tar(Path tar) {
      return new Base(Kind.TAR, Objects.requireNonNull(tar, "tar"));
    }

    @Override
    public String toString() {
      return kind == Kind.BUSYBOX ? "busybox" : "tar " + tar;
    }
  }

  /** A file or directory ({@code from}, copied recursively) placed at the absolute path {@code to}. */
  public record Layer(Path from, String to) {}
}
