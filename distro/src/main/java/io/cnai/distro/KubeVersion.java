package io.cnai.distro;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes version such as 1.35 or v1.35.2; compares by major, minor, patch. */
public record KubeVersion(int major, int minor, int patch) implements Comparable<KubeVersion> {
  public static final Pattern PATTERN = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?$");

  /** Parses "1.35", "v1.35.2"; returns null when the text is not such a version. */
  public static KubeVersion parseOrNull(String text) {
    Matcher m = PATTERN.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      return null;
    }
    return new KubeVersion(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  public static KubeVersion parse(String text) {
    KubeVersion v = parseOrNull(text);
    if (v == null) {
      throw new IllegalArgumentException("not a Kubernetes version: " + text);
    }
    return v;
  }

  @Override
  public int compareTo(KubeVersion o) {
    if (major != o.major) {
      return Integer.compare(major, o.major);
    }
    if (minor != o.minor) {
      return Integer.compare(minor, o.minor);
    }
    return Integer.compare(patch, o.patch);
  }

  /** True when this version is in the same minor line as or newer than {@code o}. */
  public boolean atLeast(KubeVersion o) {
    return compareTo(o) >= 0;
  }

  /** "1.35": the minor line, which is what support ranges speak of. */
  public String minorLine() {
    return major + "." + minor;
  }

  /** Compares major and minor only. */
  public int compareMinor(KubeVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
