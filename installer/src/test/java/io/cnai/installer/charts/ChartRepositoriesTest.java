package io.cnai.installer.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP and OCI clients are made when a chart is first asked for, once each, never before. */
class ChartRepositoriesTest {
  @Test
  void clientsAreMadeOnFirstUseOnly() {
    AtomicInteger httpMade = new AtomicInteger();
    AtomicInteger ociMade = new AtomicInteger();
    ChartRepositories repos = ChartRepositories.lazy(() -> {
      httpMade.incrementAndGet();
      return new Fixed("http");
    }, () -> {
      ociMade.incrementAndGet();
      return new Fixed("oci");
    });
    assertThat(httpMade).hasValue(0);
    assertThat(ociMade).hasValue(0);
    assertThat(repos.versions("https://charts.cnai.test", "a")).containsExactly("http");
    assertThat(repos.versions("https://charts.cnai.test", "b")).containsExactly("http");
    assertThat(httpMade).hasValue(1);
    assertThat(ociMade).hasValue(0);
    assertThat(repos.versions("oci://registry.cnai.test/charts", "a")).containsExactly("oci");
    assertThat(ociMade).hasValue(1);
  }

  private record Fixed(String name) implements ChartRepositoryClient {
    @Override
    public ResolvedChart resolve(ChartCoordinates coordinates) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> versions(String repository, String chart) {
      return List.of(name);
    }

    @Override
    public void download(ResolvedChart chart, Path target) {
      throw new UnsupportedOperationException();
    }
  }
}
