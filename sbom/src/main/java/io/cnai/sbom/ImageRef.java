package io.cnai.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference split into repository, tag and digest.
 *
 * @param repository everything before the tag and digest (registry host included when written)
 * @param tag the tag, or null
 * @param digest "sha256:&lt;hex&gt;" when the reference is pinned, else null
 */
public record ImageRef(String repository, String tag, String digest) {
  private static final Pattern REF =
      Pattern.compile("^(?<repo>[a-z0-9][a-z0-9._\\-/:]*?[a-z0-9])(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$");

  /** Parses a reference; null when it is not one (a template left unrendered, an empty value). */
  public static ImageRef parseOrNull(String reference) {
    if (reference == null) {
      return null;
    }
    Matcher m = REF.matcher(reference.trim());
    if (!m.matches()) {
      return null;
    }
    String repo = m.group("repo");
    String tag = m.group("tag");
    // "host:5000/repo" without tag: the lazy group keeps the port in the repository
    return new ImageRef(repo, tag, m.group("digest"));
  }

  public boolean pinned() {
    return digest != null;
  }

  /**
   * True when what the reference names can change without the reference changing: no digest, and
   * the tag {@code latest} or no tag at all (which means {@code latest}).
   */
  public boolean mutable() {
    return digest == null && (tag == null || tag.equals("latest"));
  }

  /** The last path segment: the image's name. */
  public String name() {
    int slash = repository.lastIndexOf('/');
    return slash < 0 ? repository : repository.substring(slash + 1);
  }

  /** The package URL: pkg:oci/NAME@DIGEST?repository_url=REPOSITORY&amp;tag=TAG. */
  public String purl() {
    TreeMap<String, String> q = new TreeMap<>();
    q.put("repository_url", repository);
    if (tag != null) {
      q.put("tag", tag);
    }
    try {
      return new PackageURL("oci", null, name(), digest, q, null).canonicalize();
    } catch (MalformedPackageURLException e) {
      throw new IllegalArgumentException("cannot make a package URL of " + repository + ": " + e.getMessage(), e);
    }
  }

  /** The version shown in the SBOM: the digest when pinned, else the tag, else "latest". */
  public String version() {
    return digest != null ? digest : tag != null ? tag : "latest";
  }
}
