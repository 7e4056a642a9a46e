package io.cnai.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.distro.Source;
import io.cnai.installer.charts.ChartCache;
import io.cnai.installer.charts.ChartCoordinates;
import io.cnai.installer.charts.ChartRepositories;
import io.cnai.installer.charts.LocalChartRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorsTest {
  @TempDir Path tmp;

  @Test
  void chartsComeFromTheMirrorWithTheirDigestsChecked() throws Exception {
    try (LocalChartRepository mirror = LocalChartRepository.start()) {
      String digest = mirror.publishFixture("certs").digest();
      Path file = tmp.resolve("mirrors.yaml");
      Files.writeString(file, """
          apiVersion: cnai.io/v1alpha1
          kind: Mirrors
          mirrors:
            - upstream: https://charts.upstream.invalid/stable/
              mirror: %s
          """.formatted(mirror.url()));
      Mirrors m = Mirrors.load(file);
      assertThat(m.resolve("https://charts.upstream.invalid/stable")).isEqualTo(mirror.url().replaceAll("/$", ""));
      assertThat(m.resolve("https://other.invalid")).isEqualTo("https://other.invalid");
      ChartCache cache = new ChartCache(tmp.resolve("cache"), m.wrap(ChartRepositories.standard()));
      var fetched = cache.fetch(new ChartCoordinates("https://charts.upstream.invalid/stable", "certs", "1.4.0"), digest);
      assertThat(fetched.digest()).isEqualTo(digest);
      assertThat(mirror.requests()).isPositive();
      assertThatThrownBy(() -> new ChartCache(tmp.resolve("cache2"), m.wrap(ChartRepositories.standard()))
              .fetch(new ChartCoordinates("https://charts.upstream.invalid/stable", "certs", "1.4.0"), "sha256:" + "0".repeat(64)))
          .isInstanceOf(CnaiException.class)
          .extracting(e -> ((CnaiException) e).exitCode()).isEqualTo(3);
    }
  }

  @Test
  void malformedMirrorFilesAreBadInputWithTheirPlace() throws Exception {
    Path file = tmp.resolve("m.yaml");
    Files.writeString(file, "apiVersion: cnai.io/v1alpha1\nkind: Mirrors\nmirrors:\n  - upstream: ftp://x\n    mirror: http://y\n");
    assertThatThrownBy(() -> Mirrors.load(file)).isInstanceOf(CnaiException.class).hasMessageContaining("ftp://x")
        .extracting(e -> ((CnaiException) e).exitCode()).isEqualTo(2);
  }

  private Mirrors mirrors(String entries) throws Exception {
    Path file = tmp.resolve("mirrors.yaml");
    Files.writeString(file, "apiVersion: cnai.io/v1alpha1\nkind: Mirrors\nmirrors:\n" + entries);
    return Mirrors.load(file);
  }

  /** Loads {@code entries}, expects bad input (exit 2) at {@code line} of the file, and returns the message. */
  private String badInput(String entries, int line) {
    CnaiException e = (CnaiException) org.assertj.core.api.Assertions.catchThrowable(() -> mirrors(entries));
    assertThat(e).as(entries).isNotNull();
    assertThat(e.exitCode()).as(e.getMessage()).isEqualTo(2);
    assertThat(e.location()).as(e.getMessage()).isNotNull();
    assertThat(e.location().file()).endsWith("mirrors.yaml");
    assertThat(e.location().line()).as(e.getMessage()).isEqualTo(line);
    assertThat(e.hint()).isNotBlank();
    return e.getMessage();
  }

  @Test
  void manifestUrlsAndGitRepositoriesAreMirroredByPrefixAtSlashBoundaries() throws Exception {
    Mirrors m = mirrors("""
          - upstream: https://github.com/kubeflow
            mirror: file:///srv/mirror/github.com/kubeflow/
          - upstream: https://github.com/kubeflow/pipelines
            mirror: http://10.0.0.5:8080/git/pipelines
          - upstream: https://github.com/kubernetes-sigs/kueue/releases/download
            mirror: https://mirror.internal/kueue
        """);
    // manifest URL below an upstream
    assertThat(m.manifestLocation("https://github.com/kubernetes-sigs/kueue/releases/download/v0.14.1/manifests.yaml"))
        .isEqualTo("https://mirror.internal/kueue/v0.14.1/manifests.yaml");
    // kustomize git repository: the longest upstream wins, whatever the order of the entries
    assertThat(m.manifestLocation("https://github.com/kubeflow/pipelines")).isEqualTo("http://10.0.0.5:8080/git/pipelines");
    assertThat(m.manifestLocation("https://github.com/kubeflow/manifests")).isEqualTo("file:///srv/mirror/github.com/kubeflow/manifests");
    assertThat(m.manifestLocation("https://github.com/kubeflow")).isEqualTo("file:///srv/mirror/github.com/kubeflow");
    // a prefix that does not end at a '/' does not match
    assertThat(m.manifestLocation("https://github.com/kubeflow-extra/x.yaml")).isEqualTo("https://github.com/kubeflow-extra/x.yaml");
    assertThat(m.manifestLocation("https://github.com/kubeflow/pipelines-v2")).isEqualTo("file:///srv/mirror/github.com/kubeflow/pipelines-v2");
    assertThat(m.resolve("https://github.com/kubernetes-sigs/kueue/releases/tag/v1")).isEqualTo("https://github.com/kubernetes-sigs/kueue/releases/tag/v1");
    assertThat(Mirrors.none().manifestLocation("https://github.com/kubeflow/x")).isEqualTo("https://github.com/kubeflow/x");
    assertThat(Mirrors.from(null).entries()).isEmpty();
  }

  @Test
  void aFileMirrorServesNoChartsAndAnOciMirrorNoManifests() throws Exception {
    Mirrors m = mirrors("""
          - upstream: https://example.org
            mirror: file:///srv/mirror/example.org
          - upstream: https://charts.example.net
            mirror: oci://10.0.0.5:5000/charts
        """);
    // the same upstream may hold charts and manifests; each kind is refused where its mirror cannot serve it
    assertThatThrownBy(() -> m.chartRepository("https://example.org/charts"))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.location().line()).isEqualTo(4);
          assertThat(e.getMessage()).contains("https://example.org/charts", "file:///srv/mirror/example.org/charts").contains("hint:");
        });
    assertThatThrownBy(() -> m.wrap(ChartRepositories.standard()).resolve(new ChartCoordinates("https://example.org/charts", "certs", "1.0.0")))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    assertThatThrownBy(() -> m.manifestLocation("https://charts.example.net/x/install.yaml"))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.location().line()).isEqualTo(6);
          assertThat(e.getMessage()).contains("oci://10.0.0.5:5000/charts/x/install.yaml");
        });
    assertThat(m.chartRepository("https://charts.example.net/stable")).isEqualTo("oci://10.0.0.5:5000/charts/stable");
    assertThat(m.manifestLocation("https://example.org/v1/install.yaml")).isEqualTo("file:///srv/mirror/example.org/v1/install.yaml");
  }

  @Test
  void badEntriesAreBadInputAtTheirLine() {
    // line 4 is the first entry's first line
    assertThat(badInput("  - upstream: https://github.com/org\n    mirror: ssh://git@mirror/org\n", 5)).contains("ssh://git@mirror/org", "file://");
    assertThat(badInput("  - upstream: https://github.com/org/repo?ref=v1\n    mirror: file:///srv/org\n", 4)).contains("?ref=v1");
    assertThat(badInput("  - upstream: https://github.com/org#main\n    mirror: file:///srv/org\n", 4)).contains("#main");
    assertThat(badInput("  - upstream: https://\n    mirror: file:///srv/org\n", 4)).contains("'https://'");
    assertThat(badInput("  - upstream: https://github.com/org\n    mirror: file:///\n", 5)).contains("'file:///'");
    assertThat(badInput("  - upstream: https://github.com/my org\n    mirror: file:///srv/org\n", 4)).contains("my org");
    assertThat(badInput("  - upstream: oci://registry.example.org/charts\n    mirror: file:///srv/charts\n", 4)).contains("oci://", "file://");
    assertThat(badInput("  - upstream: file:///srv/a\n    mirror: oci://10.0.0.5/charts\n", 4)).contains("cannot be mirrored");
    assertThat(badInput("  - upstream: https://github.com/org\n    mirror: https://github.com/org/\n", 4)).contains("mirrored by itself");
    assertThat(badInput("""
          - upstream: https://github.com/org
            mirror: file:///srv/a
          - upstream: https://github.com/org/
            mirror: file:///srv/b
        """, 6)).contains("mirrored twice", "mirrors.yaml:4");
    assertThat(badInput("  - upstream: https://github.com/org\n    mirror: file:///srv/a\n    ref: v1\n", 6)).contains("unknown field 'ref'");
    assertThat(badInput("  - upstream: [https://github.com/org]\n    mirror: file:///srv/a\n", 4)).contains("upstream");
  }

  @Test
  void manifestsFromAMirrorKeepTheLockedDigest() throws Exception {
    byte[] published = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: operator}\n".getBytes();
    String digest = io.cnai.installer.plan.Canonical.sha256(published);
    Path mirrorDir = tmp.resolve("mirror/org/operator/releases/download/v1.0.0");
    Files.createDirectories(mirrorDir);
    Files.write(mirrorDir.resolve("install.yaml"), published);
    Mirrors m = mirrors("""
          - upstream: https://github.upstream.invalid/org
            mirror: %s
        """.formatted(tmp.resolve("mirror/org").toUri()));
    String url = "https://github.upstream.invalid/org/operator/releases/download/v1.0.0/install.yaml";
    Path cache = tmp.resolve("manifests");
    ManifestSources sources = new ManifestSources(cache, m::manifestLocation);
    assertThat(sources.fetch("operator", new Source.Manifest(url, digest)).bytes()).isEqualTo(published);

    // the mirror now serves other bytes: refused as upstream's would be, and nothing is cached
    Files.writeString(mirrorDir.resolve("install.yaml"), "kind: Evil\n");
    Path fresh = tmp.resolve("fresh-manifests");
    assertThatThrownBy(() -> new ManifestSources(fresh, m::manifestLocation).fetch("operator", new Source.Manifest(url, digest)))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(3);
          assertThat(e.getMessage()).contains("component 'operator'", "(mirror of " + url + ")", "the lock says " + digest, "Refresh the mirror");
        });
    assertThat(fresh).doesNotExist();
    // without the mirror, upstream is asked (and here it cannot be reached)
    assertThatThrownBy(() -> new ManifestSources(fresh).fetch("operator", new Source.Manifest(url, digest)))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.getMessage()).contains("cannot download " + url + ":"));
  }
}
