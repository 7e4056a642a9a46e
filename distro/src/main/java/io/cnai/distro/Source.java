package io.cnai.distro;

/** Where a component's manifests come from. */
public sealed interface Source permits Source.Helm, Source.Manifest, Source.Kustomize {

  /** sha256 digest "sha256:&lt;hex&gt;" of the artifact, or null when not locked yet. */
  String digest();

  /** Short words for tables: "helm", "manifest", "kustomize". */
  String type();

  /** A printable reference: repository/chart@version, URL, or repo//path?ref=tag. */
  String reference();

  /** The version a user sees: chart version, or the git ref, or the URL's file. */
  String version();

  default boolean locked() {
    return digest() != null;
  }

  /** A Helm chart from an HTTP chart repository (https://) or an OCI registry (oci://). */
  record Helm(String repository, String chart, String version, String digest) implements Source {
    @Override
    public String type() {
      return "helm";
    }

    @Override
    public String reference() {
      return repository.startsWith("oci://")
          ? repository + "/" + chart + ":" + version
          : repository + " " + chart + "@" + version;
    }

    public boolean oci() {
      return repository.startsWith("oci://");
    }
  }

  /** A release manifest file published by upstream at a URL. */
  record Manifest(String url, String digest) implements Source {
    @Override
    public String type() {
      return "manifest";
    }

    @Override
    public String reference() {
      return url;
    }

    /** The first path segment of the URL that looks like a version, such as v0.66.0. */
    @Override
    public String version() {
      for (String segment : url.split("/")) {
        if (segment.matches("v?\\d+\\.\\d+.*")) {
          return segment;
        }
      }
      return "-";
    }
  }

  /**
   * A kustomize base in a git repository at a tag; pinned by the digest of the rendered
   * manifests.
   */
  record Kustomize(String repository, String ref, String path, String digest) implements Source {
    @Override
    public String type() {
      return "kustomize";
    }

    @Override
    public String reference() {
      return repository + "//" + path + "?ref=" + ref;
    }

    @Override
    public String version() {
      return ref;
    }
  }
}
