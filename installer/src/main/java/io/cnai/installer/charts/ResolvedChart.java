package io.cnai.installer.charts;

import java.net.URI;
import java.util.List;

/**
 * A chart as its repository publishes it.
 *
 * <p>{@code digest} is always {@code sha256:<64 hex>} of the chart archive (the {@code .tgz}
 * bytes), for both kinds of repository: for an HTTP repository it is the {@code digest} field of
 * the chart's entry in {@code index.yaml}; for an OCI registry it is the digest of the manifest's
 * chart content layer ({@code application/vnd.cncf.helm.chart.content.v1.tar+gzip}), which is the
 * same archive {@code helm pull} writes. The OCI manifest digest is not used: it changes when only
 * annotations or the provenance layer change, while the chart does not. {@code digest} is null
 * only when an HTTP index does not publish one; the archive's own hash is then taken on download.
 *
 * <p>{@code dependencies} are the chart's declared dependencies (Chart.yaml {@code dependencies})
 * as the repository lists them; their {@code version} may be a range, not a pinned version. A
 * dependency bundled in the chart or named by a repository alias is given the chart's own
 * repository; entries cnai cannot read (no name, a repository with credentials) are left out.
 */
public record ResolvedChart(
    ChartCoordinates coordinates, String digest, URI downloadUrl, List<ChartCoordinates> dependencies) {
  public ResolvedChart {
    dependencies = List.copyOf(dependencies);
  }
}
