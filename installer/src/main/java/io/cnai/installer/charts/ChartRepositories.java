package io.cnai.installer.charts;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The {@link ChartRepositoryClient} for both kinds of source: HTTP(S) index and OCI registry. The
 * clients are made on first use: making a JDK HTTP client loads the default trust store and starts
 * a thread (0.1-0.3 s), which commands that find every chart in the cache, or fetch none (status, a
 * no-op upgrade), never need.
 */
public final class ChartRepositories implements ChartRepositoryClient {
  private final Supplier<ChartRepositoryClient> http;
  private final Supplier<ChartRepositoryClient> oci;

  public ChartRepositories(ChartRepositoryClient http, ChartRepositoryClient oci) {
    this(() -> http, () -> oci, false);
  }

  private ChartRepositories(Supplier<ChartRepositoryClient> http, Supplier<ChartRepositoryClient> oci, boolean lazy) {
    this.http = once(http);
    this.oci = once(oci);
  }

  /** Clients made by {@code http} and {@code oci} when first needed, once each. */
  public static ChartRepositories lazy(Supplier<ChartRepositoryClient> http, Supplier<ChartRepositoryClient> oci) {
    return new ChartRepositories(http, oci, true);
  }

  /** HTTP(S) repositories and OCI registries with the default clients. */
  public static ChartRepositories standard() {
    return lazy(HttpChartRepositoryClient::new, OciChartRepositoryClient::new);
  }

  private static Supplier<ChartRepositoryClient> once(Supplier<ChartRepositoryClient> make) {
    return new Supplier<>() {
      private ChartRepositoryClient made;

      @Override
      public synchronized ChartRepositoryClient get() {
        if (made == null) {
          made = make.get();
        }
        return made;
      }
    };
  }

  @Override
  public ResolvedChart resolve(ChartCoordinates coordinates) {
    return (coordinates.isOci() ? oci : http).get().resolve(coordinates);
  }

  @Override
  public java.util.List<String> versions(String repository, String chart) {
    return (repository.startsWith("oci://") ? oci : http).get().versions(repository, chart);
  }

  @Override
  public void download(ResolvedChart chart, Path target) {
    (chart.coordinates().isOci() ? oci : http).get().download(chart, target);
  }
}
