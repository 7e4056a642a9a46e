package io.cnai.installer.charts;

import java.nio.file.Path;

/** The {@link ChartRepositoryClient} for both kinds of source: HTTP(S) index and OCI registry. */
public final class ChartRepositories implements ChartRepositoryClient {
  private final ChartRepositoryClient http;
  private final ChartRepositoryClient oci;

  public ChartRepositories(ChartRepositoryClient http, ChartRepositoryClient oci) {
    this.http = http;
    this.oci = oci;
  }

  /** HTTP(S) repositories and OCI registries with the default clients. */
  public static ChartRepositories standard() {
    return new ChartRepositories(new HttpChartRepositoryClient(), new OciChartRepositoryClient());
  }

  @Override
  public ResolvedChart resolve(ChartCoordinates coordinates) {
    return (coordinates.isOci() ? oci : http).resolve(coordinates);
  }

  @Override
  public java.util.List<String> versions(String repository, String chart) {
    return (repository.startsWith("oci://") ? oci : http).versions(repository, chart);
  }

  @Override
  public void download(ResolvedChart chart, Path target) {
    (chart.coordinates().isOci() ? oci : http).download(chart, target);
  }
}
