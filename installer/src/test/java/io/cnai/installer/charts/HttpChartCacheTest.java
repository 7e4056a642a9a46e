package io.cnai.installer.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving and fetching charts from a real HTTP chart repository on loopback. */
class HttpChartCacheTest {
  static LocalChartRepository repo;
  static LocalChartRepository.Published certs;

  @TempDir Path cacheRoot;

  @BeforeAll
  static void startRepository() {
    repo = LocalChartRepository.start();
    certs = repo.publishFixture("certs");
    repo.publishFixture("parent");
    repo.publishFixture("httpsub");
  }

  @AfterAll
  static void stopRepository() {
    repo.close();
  }

  ChartCache cache() {
    return new ChartCache(cacheRoot, ChartRepositories.standard());
  }

  @Test
  void resolveGivesTheIndexDigestWhichIsTheSha256OfTheArchive() throws IOException {
    ResolvedChart r = ChartRepositories.standard().resolve(certs.coordinates());

    assertThat(r.digest()).isEqualTo(Digests.of(Files.readAllBytes(certs.archive())));
    assertThat(r.downloadUrl().toString()).isEqualTo(repo.url() + "/charts/certs-1.4.0.tgz");
  }

  @Test
  void resolveListsDeclaredDependenciesWithTheirRepositories() {
    ResolvedChart r = ChartRepositories.standard().resolve(repo.coordinates("parent", "2.3.0"));

    assertThat(r.dependencies()).extracting(ChartCoordinates::chart).containsExactly("commonlib", "bundled", "httpsub", "ocisub");
    assertThat(r.dependencies().get(2).repository()).isEqualTo("http://127.0.0.1:1/charts");
    assertThat(r.dependencies().get(2).version()).isEqualTo("~1.2.0");
    assertThat(r.dependencies().get(3).repository()).isEqualTo("oci://127.0.0.1:1/charts");
    assertThat(r.dependencies().get(1).repository()).as("bundled: parent's repository").isEqualTo(repo.url());
  }

  @Test
  void versionsListsWhatTheIndexPublishesNewestFirst() {
    Path dir = TestCharts.copy("httpsub", cacheRoot.resolve("v"));
    for (String v : new String[] {"1.2.10", "1.3.0-rc.1", "0.9.0"}) {
      TestCharts.withVersion(dir, v);
      repo.publish(TestCharts.packageDir(dir, cacheRoot.resolve("v/out")));
    }
    java.util.List<String> versions = ChartRepositories.standard().versions(repo.url(), "httpsub");

    assertThat(versions).containsExactly("1.3.0-rc.1", "1.2.10", "1.2.3", "0.9.0");
    assertThat(ChartVersions.newestMatching(versions, "~1.2.0")).contains("1.2.10");
  }

  @Test
  void unlockedFetchDownloadsVerifiesAndRecordsTheDigest() {
    FetchedChart f = cache().fetch(certs.coordinates(), null);

    assertThat(f.digest()).isEqualTo(certs.digest());
    assertThat(f.archive()).isEqualTo(cacheRoot.resolve("sha256").resolve(certs.digest().substring(7) + ".tgz"));
    assertThat(Digests.of(f.archive())).isEqualTo(certs.digest());
  }

  @Test
  void lockedAndCachedChartNeedsNoNetwork() {
    cache().fetch(certs.coordinates(), certs.digest());
    int before = repo.requests();
    repo.down(true);
    try {
      FetchedChart again = new ChartCache(cacheRoot, failingClient()).fetch(certs.coordinates(), certs.digest());
      assertThat(again.digest()).isEqualTo(certs.digest());
      assertThat(repo.requests()).isEqualTo(before);
    } finally {
      repo.down(false);
    }
  }

  @Test
  void corruptedCacheFileIsRefetched() throws IOException {
    FetchedChart f = cache().fetch(certs.coordinates(), certs.digest());
    Files.write(f.archive(), "garbage".getBytes());

    FetchedChart again = cache().fetch(certs.coordinates(), certs.digest());

    assertThat(Digests.of(again.archive())).isEqualTo(certs.digest());
  }

  @Test
  void lockedDigestThatTheRepositoryNoLongerPublishesIsRefused() throws IOException {
    LocalChartRepository.Published p = repo.publishFixture("schema");
    byte[] other = Files.readAllBytes(certs.archive());
    String republished = repo.republish("schema", "1.0.0", other);

    assertThatThrownBy(() -> cache().fetch(p.coordinates(), p.digest()))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION);
          assertThat(e.exitCode()).isEqualTo(3);
          assertThat(e.getMessage())
              .contains("schema 1.0.0 from " + repo.url())
              .contains("expects " + p.digest())
              .contains(republished);
        });
    assertThat(cachedFiles()).isZero();
  }

  @Test
  void archiveThatDoesNotMatchTheIndexIsRefusedAndNotKept() throws IOException {
    LocalChartRepository.Published p = repo.publishFixture("hooks");
    repo.tamper("hooks", "2.0.0", "not the chart".getBytes());

    for (String expected : new String[] {null, p.digest()}) {
      assertThatThrownBy(() -> cache().fetch(p.coordinates(), expected))
          .isInstanceOfSatisfying(CnaiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION);
            assertThat(e.getMessage()).contains("hooks 2.0.0").contains(p.digest()).contains("not kept");
          });
    }
    assertThat(cachedFiles()).isZero();
  }

  @Test
  void malformedLockedDigestIsBadInput() {
    assertThatThrownBy(() -> cache().fetch(certs.coordinates(), "sha256:abc"))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.getMessage()).contains("certs 1.4.0").contains("'sha256:abc'").contains("64");
        });
  }

  @Test
  void unknownChartAndVersionAreBadInputWithWhatExists() {
    assertThatThrownBy(() -> cache().fetch(repo.coordinates("nope", "1.0.0"), null))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.getMessage()).contains("'nope' is not in the chart repository").contains("certs");
        });
    assertThatThrownBy(() -> cache().fetch(repo.coordinates("certs", "v1.4.0"), null))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.getMessage()).contains("version 'v1.4.0' is not in the repository index")
              .contains("spells the version 1.4.0");
        });
  }

  @Test
  void missingIndexIsBadInputAndUnreachableRepositoryIsFailure() {
    assertThatThrownBy(() -> cache().fetch(new ChartCoordinates(repo.url() + "/elsewhere", "certs", "1.4.0"), null))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.getMessage()).contains("has no index.yaml");
        });
    assertThatThrownBy(() -> cache().fetch(new ChartCoordinates("http://127.0.0.1:1/charts", "certs", "1.4.0"), null))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE);
          assertThat(e.getMessage()).contains("cannot reach http://127.0.0.1:1/charts");
        });
  }

  @Test
  void coordinatesRefuseWhatIsNotAChartSource() {
    assertThatThrownBy(() -> new ChartCoordinates("ftp://x", "a", "1"))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.getMessage()).contains("neither https://"));
    assertThatThrownBy(() -> new ChartCoordinates("https://x", "repo/a", "1"))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.getMessage()).contains("is not a chart name"));
    assertThatThrownBy(() -> new ChartCoordinates("https://x", "a", " "))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
    assertThat(new ChartCoordinates("https://x/charts/", "a", "1").repository()).isEqualTo("https://x/charts");
    assertThat(new ChartCoordinates("oci://127.0.0.1:5000/charts", "a", "1").isOci()).isTrue();
    for (String bad : new String[] {"oci://", "https:///charts", "https://user:pw@host/charts", "https://host/charts?x=1"}) {
      assertThatThrownBy(() -> new ChartCoordinates(bad, "a", "1"))
          .as(bad)
          .isInstanceOfSatisfying(CnaiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
            assertThat(e.problem()).contains("has no valid host");
          });
    }
  }

  @Test
  void defaultRootFollowsCnaiCache() {
    assertThat(ChartCache.defaultRoot(Map.of("CNAI_CACHE", "/data/cnai"))).isEqualTo(Path.of("/data/cnai/charts"));
    assertThat(ChartCache.defaultRoot(Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "cnai", "charts"));
  }

  private long cachedFiles() throws IOException {
    Path dir = cacheRoot.resolve("sha256");
    long n = 0;
    if (Files.isDirectory(dir)) {
      try (var s = Files.list(dir)) {
        n += s.count();
      }
    }
    Path tmp = cacheRoot.resolve("tmp");
    if (Files.isDirectory(tmp)) {
      try (var s = Files.list(tmp)) {
        n += s.count();
      }
    }
    return n;
  }

  private static ChartRepositoryClient failingClient() {
    return new ChartRepositoryClient() {
      @Override
      public ResolvedChart resolve(ChartCoordinates c) {
        throw new AssertionError("no network expected, resolve(" + c + ")");
      }

      @Override
      public void download(ResolvedChart chart, Path target) {
        throw new AssertionError("no network expected, download(" + chart + ")");
      }

      @Override
      public java.util.List<String> versions(String repository, String chart) {
        throw new AssertionError("no network expected, versions(" + chart + ")");
      }
    };
  }
}
