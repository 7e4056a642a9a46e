package io.cnai.installer.charts;

import java.nio.file.Path;
import java.util.List;

/**
 * Talks to chart repositories: HTTP(S) chart repositories ({@code index.yaml}) and OCI registries.
 * All failures are {@link io.cnai.core.CnaiException}s.
 */
public interface ChartRepositoryClient {
  /** Looks the chart up (reads the repository index or the OCI manifest); downloads no archive. */
  ResolvedChart resolve(ChartCoordinates coordinates);

  /**
   * Every version of {@code chart} the repository publishes (index entries; OCI tags, with {@code _}
   * read as {@code +}), newest first. With {@link ChartVersions#newestMatching} this pins a
   * dependency's version range.
   */
  List<String> versions(String repository, String chart);

  /**
   * Writes the chart archive of {@code chart} to {@code target} (created or replaced). The caller
   * verifies the digest.
   */
  void download(ResolvedChart chart, Path target);
}
