package io.cnai.installer.images;

import io.cnai.core.CnaiException;
import java.util.regex.Pattern;

/**
 * An image reference, normalised as containerd normalises it: {@code busybox:1.36} is
 * {@code docker.io/library/busybox:1.36}; no tag means {@code latest}.
 *
 * @param registry the registry host (and port), e.g. {@code docker.io}, {@code 127.0.0.1:5000}
 * @param repository the path in that registry, e.g. {@code library/busybox}
 * @param tag the tag
 */
public record ImageRef(String registry, String repository, String tag) {
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  /** Parses {@code [registry/]path[:tag]}; digests are not accepted (cnai names what it builds by tag). */
  public static ImageRef parse(String ref) {
    String s = ref == null ? "" : ref.strip();
    if (s.isEmpty() || s.contains("@") || s.contains("//") || s.endsWith("/")) {
      throw invalid(ref, "write [REGISTRY/]PATH[:TAG], e.g. docker.io/library/busybox:1.36");
    }
    String registry = "docker.io";
    String rest = s;
    int slash = s.indexOf('/');
    if (slash > 0) {
      String first = s.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = s.substring(slash + 1);
      }
    }
    if (!HOST.matcher(registry).matches()) {
      throw invalid(ref, "the registry '" + registry + "' is not a host[:port]");
    }
    String tag = "latest";
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    if (!TAG.matcher(tag).matches()) {
      throw invalid(ref, "the tag '" + tag + "' has characters a tag cannot have (letters, digits, '_', '.', '-')");
    }
    for (String c : rest.split("/", -1)) {
      if (!COMPONENT.matcher(c).matches()) {
        throw invalid(ref, "'" + c + "' is not a valid path component (lower-case letters, digits, '.', '_', '-')");
      }
    }
    if (registry.equals("docker.io") && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new ImageRef(registry, rest, tag);
  }

  private static CnaiException invalid(String ref, String hint) {
    return CnaiException.badInput("invalid image reference '" + ref + "'", hint);
  }

  /**
   * Where this image lives in a mirror registry that answers for several upstreams: under a path
   * named after its upstream registry, {@code <mirror>/docker.io/library/busybox:1.36}. That is the
   * layout the nodes' containerd mirror configuration reads (docs/nodes.md).
   */
  public ImageRef inMirror(String mirrorHost) {
    if (registry.contains(":")) {
      throw CnaiException.badInput("image " + this + " names a registry with a port, which cannot be a path in a mirror",
          "push it to an exact reference: --as " + mirrorHost + "/" + repository + ":" + tag);
    }
    return new ImageRef(mirrorHost, registry + "/" + repository, tag);
  }

  @Override
  public String toString() {
    return registry + "/" + repository + ":" + tag;
  }
}
