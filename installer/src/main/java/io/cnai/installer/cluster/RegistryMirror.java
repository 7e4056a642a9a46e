package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One upstream registry served by a mirror, for the nodes' container runtime: images named
 * {@code UPSTREAM/path:tag} are pulled from {@code mirror}. A mirror URL with a path
 * ({@code http://10.0.0.5:5000/docker.io}) holds the images below that path (one registry for many
 * upstreams); without a path ({@code https://mirror.corp}) it holds them at their upstream path.
 *
 * @param upstream the registry host that image references name ({@code docker.io}, {@code ghcr.io})
 * @param mirror the mirror, {@code http://} or {@code https://}, with an optional path
 */
public record RegistryMirror(String upstream, URI mirror) {
  /** The upstreams the local registry answers for when the cluster runs one. */
  public static final List<String> LOCAL_UPSTREAMS =
      List.of("docker.io", "ghcr.io", "quay.io", "registry.k8s.io", "cnai.local");

  private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?");
  private static final Pattern FORM = Pattern.compile("([^=]*)=(https?)://([A-Za-z0-9.-]+(?::[0-9]{1,5})?)(/[a-z0-9._/-]*)?");

  /** {@code UPSTREAM=URL}, as {@code --registry-mirror} takes it. */
  public static RegistryMirror parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw CnaiException.badInput("invalid registry mirror '" + text + "'",
          "write UPSTREAM=URL, e.g. docker.io=http://10.0.0.5:5000/docker.io or quay.io=https://mirror.corp");
    }
    String upstream = m.group(1);
    if (!HOST.matcher(upstream).matches()) {
      throw CnaiException.badInput("invalid registry mirror '" + text + "': '" + upstream + "' is not a registry host",
          "name the registry as image references do: docker.io, ghcr.io, registry.k8s.io, HOST:PORT");
    }
    String path = m.group(4) == null ? "" : m.group(4).replaceAll("/+$", "");
    return new RegistryMirror(upstream, URI.create(m.group(2) + "://" + m.group(3) + path));
  }

  /** The path below which the mirror holds the upstream's images ("" when at their upstream path). */
  public String prefix() {
    return mirror.getPath() == null ? "" : mirror.getPath();
  }

  @Override
  public String toString() {
    return upstream + "=" + mirror;
  }
}
