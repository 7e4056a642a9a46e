package io.cnai.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.plan.Canonical;
import io.cnai.installer.testing.LocalFileServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An air-gapped render: the distribution names upstream locations that cannot be reached
 * ({@code *.upstream.invalid}), and a mirrors file points them at local mirrors: a real HTTP chart
 * repository, a real HTTP server with the release manifests, and a real git repository on disk for
 * a kustomize base. Digests stay the distribution's: a mirror that serves other bytes is refused.
 */
class MirroredSourcesTest {
  static final String CHARTS = "https://charts.upstream.invalid/stable";
  static final String MANIFEST = "https://github.upstream.invalid/org/store/releases/download/v1.0.0/operator.yaml";
  static final String PIPELINES = "https://github.upstream.invalid/kubeflow/pipelines";

  static final String OPERATOR = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: stores.features.cnai.test
      spec:
        group: features.cnai.test
        names: {kind: Store, plural: stores}
        scope: Namespaced
        versions:
          - name: v1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: store-operator, namespace: store-system}
      spec:
        selector: {matchLabels: {app: store-operator}}
        template:
          metadata: {labels: {app: store-operator}}
          spec:
            containers: [{name: manager, image: registry.cnai.test/store-operator:1.0.0}]
      """;

  @TempDir Path tmp;
  Path profiles;

  @BeforeEach
  void setUp() throws IOException {
    System.setProperty("cnai.cache", tmp.resolve("cache").toString());
    profiles = tmp.resolve("profiles");
    Files.createDirectories(profiles);
    Files.writeString(profiles.resolve("test.yaml"), "apiVersion: cnai.io/v1alpha1\nkind: Profile\nmetadata: {name: test}\n");
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("cnai.cache");
  }

  private static final String NO_SIGNATURE = """
            signature:
              chart: {type: none, reason: fixture}
              images: {type: none, reason: fixture}
      """;

  private Path distribution(String components) throws IOException {
    Path f = tmp.resolve("distribution.yaml");
    Files.writeString(f, """
        apiVersion: distro.cnai.io/v1alpha1
        kind: Distribution
        metadata: {name: mirrored, version: "2026.11"}
        spec:
          components:
        """ + components);
    return f;
  }

  private Path mirrorsFile(String... upstreamThenMirror) throws IOException {
    StringBuilder sb = new StringBuilder("apiVersion: cnai.io/v1alpha1\nkind: Mirrors\nmirrors:\n");
    for (int i = 0; i < upstreamThenMirror.length; i += 2) {
      sb.append("  - upstream: ").append(upstreamThenMirror[i]).append("\n    mirror: ").append(upstreamThenMirror[i + 1]).append('\n');
    }
    Path f = tmp.resolve("mirrors.yaml");
    Files.writeString(f, sb.toString());
    return f;
  }

  private String[] cmd(String verb, Path distribution, String... more) {
    return Stream.concat(
            Stream.of(verb, "--distribution", distribution.toString(), "--profiles-dir", profiles.toString(), "--profile", "test"),
            Stream.of(more))
        .toArray(String[]::new);
  }

  /** The manifests kept in the cache under {@code cnai.cache} = {@code base}. */
  private static List<Path> cachedManifests(Path base) throws IOException {
    Path dir = StackRenderer.manifestCacheRoot(base.resolve("charts")).resolve("sha256");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** A chart and a release manifest, both named by their unreachable upstream locations. */
  private Path chartAndManifest(String chartDigest) throws IOException {
    return distribution("""
            - name: certs
              namespace: certs-system
              source:
                helm: {repository: %s, chart: certs, version: 1.4.0, digest: %s}
              provides:
                crds: [{group: certs.cnai.test, kinds: [Certificate, Issuer]}]
        %s
            - name: store-operator
              namespace: store-system
              source:
                manifest: {url: "%s", digest: %s}
              provides:
                crds: [{group: features.cnai.test, kinds: [Store]}]
        %s
        """.formatted(CHARTS, chartDigest, NO_SIGNATURE, MANIFEST, Canonical.sha256(OPERATOR.getBytes()), NO_SIGNATURE));
  }

  @Test
  void renderFetchesChartsAndManifestsFromTheMirrorsWithUpstreamDigests() throws IOException {
    Path web = tmp.resolve("web");
    Path published = web.resolve("github/org/store/releases/download/v1.0.0/operator.yaml");
    Files.createDirectories(published.getParent());
    Files.writeString(published, OPERATOR);
    try (LocalChartRepository charts = LocalChartRepository.start(); LocalFileServer files = LocalFileServer.start(web)) {
      Path lock = chartAndManifest(charts.publishFixture("certs").digest());
      Path out = tmp.resolve("out");

      // upstream cannot be reached: without mirrors, render fails before writing anything
      Cli.Result r = Cli.run(cmd("render", lock, "--out", out.toString()));
      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("upstream.invalid");
      assertThat(out).doesNotExist();

      Path mirrors = mirrorsFile(CHARTS, charts.url(), "https://github.upstream.invalid/org/", files.url() + "/github/org");
      r = Cli.run(cmd("render", lock, "--out", out.toString(), "--mirrors", mirrors.toString()));
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(Files.readString(out.resolve("01-store-operator/crds.yaml"))).contains("stores.features.cnai.test");
      assertThat(Files.readString(out.resolve("01-store-operator/manifests.yaml"))).contains("store-operator").doesNotContain("CustomResourceDefinition");
      assertThat(Files.readString(out.resolve("01-certs/crds.yaml"))).contains("certs.cnai.test");
      assertThat(files.requests()).containsExactly("/github/org/store/releases/download/v1.0.0/operator.yaml");
      assertThat(charts.requests()).isPositive();

      // the SBOM is built through the same mirrors, and names what the distribution pins, not the mirrors
      r = Cli.run(cmd("sbom", lock, "--mirrors", mirrors.toString()));
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains(MANIFEST).contains(CHARTS).doesNotContain("127.0.0.1");
    }
  }

  @Test
  void aMirrorServingOtherBytesIsRefusedAndNothingIsCached() throws IOException {
    Path web = tmp.resolve("web");
    Path published = web.resolve("github/org/store/releases/download/v1.0.0/operator.yaml");
    Files.createDirectories(published.getParent());
    Files.writeString(published, OPERATOR.replace("store-operator:1.0.0", "store-operator:evil"));
    try (LocalChartRepository charts = LocalChartRepository.start(); LocalFileServer files = LocalFileServer.start(web)) {
      LocalChartRepository.Published chart = charts.publishFixture("certs");
      String certs = chart.digest();
      Path lock = chartAndManifest(certs);
      Path mirrors = mirrorsFile(CHARTS, charts.url(), "https://github.upstream.invalid/org", files.url() + "/github/org");
      Path out = tmp.resolve("out");

      Cli.Result r = Cli.run(cmd("render", lock, "--out", out.toString(), "--mirrors", mirrors.toString()));
      assertThat(r.exit()).as(r.err()).isEqualTo(3);
      assertThat(r.err())
          .contains("component 'store-operator'", "(mirror of " + MANIFEST + ")", "the lock says " + Canonical.sha256(OPERATOR.getBytes()), "Refresh the mirror");
      assertThat(out).doesNotExist();
      assertThat(cachedManifests(tmp.resolve("cache"))).isEmpty();

      // a chart the mirror serves with other bytes is refused the same way (fresh cache: the good chart is cached above)
      System.setProperty("cnai.cache", tmp.resolve("cache2").toString());
      Files.writeString(published, OPERATOR);
      charts.tamper("certs", "1.4.0", "not the chart".getBytes());
      r = Cli.run(cmd("render", lock, "--out", out.toString(), "--mirrors", mirrors.toString()));
      assertThat(r.exit()).as(r.err()).isEqualTo(3);
      assertThat(r.err()).contains("certs").contains(certs).contains("through the mirror " + charts.url()).contains("Refresh the mirror");
      assertThat(out).doesNotExist();

      // once the mirrors serve the pinned bytes again, the same command succeeds: nothing wrong was kept
      charts.publish(chart.archive());
      System.setProperty("cnai.cache", tmp.resolve("cache").toString());
      r = Cli.run(cmd("render", lock, "--out", out.toString(), "--mirrors", mirrors.toString()));
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(cachedManifests(tmp.resolve("cache"))).hasSize(1);
      assertThat(Files.readString(out.resolve("01-store-operator/manifests.yaml"))).contains("store-operator:1.0.0").doesNotContain("evil");
    }
  }

  @Test
  void kustomizeBasesComeFromAMirroredGitRepository() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(ManifestSources.kustomizeBinary())),
        "not run: kustomize binary missing; run installer/tools/build-kustomize.sh");
    Path gitMirror = tmp.resolve("git/kubeflow");
    Path repo = gitMirror.resolve("pipelines");
    Files.createDirectories(repo.resolve("manifests/base"));
    Files.writeString(repo.resolve("manifests/base/kustomization.yaml"), "namespace: kubeflow\nresources:\n- deployment.yaml\n");
    Files.writeString(repo.resolve("manifests/base/deployment.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: pipeline-api}
        spec:
          selector: {matchLabels: {app: pipeline-api}}
          template:
            metadata: {labels: {app: pipeline-api}}
            spec:
              containers: [{name: api, image: registry.cnai.test/pipeline-api:2.0.0}]
        """);
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "-c", "user.email=test@cnai.test", "-c", "user.name=test", "commit", "-qm", "v2.0.0");
    git(repo, "tag", "2.0.0");
    String mirrorRepo = repo.toUri().toString().replaceFirst("/$", "");
    // what upstream publishes: the digest of exactly what kustomize renders at that tag
    String digest = Canonical.sha256(kustomizeBuild(mirrorRepo + "//manifests/base?ref=2.0.0"));
    Path lock = distribution("""
            - name: pipelines
              namespace: kubeflow
              source:
                kustomize: {repository: %s, ref: 2.0.0, path: manifests/base, digest: %s}
        %s
        """.formatted(PIPELINES, digest, NO_SIGNATURE));
    Path mirrors = mirrorsFile("https://github.upstream.invalid/kubeflow", gitMirror.toUri().toString());
    Path out = tmp.resolve("out");

    Cli.Result r = Cli.run(cmd("render", lock, "--out", out.toString()));
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("kustomize build " + PIPELINES + "//manifests/base?ref=2.0.0 failed");

    r = Cli.run(cmd("render", lock, "--out", out.toString(), "--mirrors", mirrors.toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("01-pipelines/manifests.yaml"))).contains("pipeline-api").contains("namespace: kubeflow");

    // the mirror's tag moved to other content: refused with a fresh cache, and not cached
    Files.writeString(repo.resolve("manifests/base/deployment.yaml"),
        Files.readString(repo.resolve("manifests/base/deployment.yaml")).replace("2.0.0", "2.0.0-evil"));
    git(repo, "-c", "user.email=test@cnai.test", "-c", "user.name=test", "commit", "-qam", "moved");
    git(repo, "tag", "-f", "2.0.0");
    System.setProperty("cnai.cache", tmp.resolve("fresh").toString());
    Path out2 = tmp.resolve("out2");
    r = Cli.run(cmd("render", lock, "--out", out2.toString(), "--mirrors", mirrors.toString()));
    assertThat(r.exit()).as(r.err()).isEqualTo(3);
    assertThat(r.err()).contains("component 'pipelines'", "(mirror of " + PIPELINES + "//manifests/base?ref=2.0.0)", "the lock says " + digest);
    assertThat(out2).doesNotExist();
    assertThat(tmp.resolve("fresh/manifests")).doesNotExist();
  }

  @Test
  void nestedRemoteBasesComeFromTheMirrorsToo() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(ManifestSources.kustomizeBinary())),
        "not run: kustomize binary missing; run installer/tools/build-kustomize.sh");
    // the base that the pipelines kustomization pulls in itself, as Pipelines pulls argo-workflows
    Path argo = tmp.resolve("git/argoproj/argo-workflows");
    Files.createDirectories(argo.resolve("manifests/crds"));
    Files.writeString(argo.resolve("manifests/crds/kustomization.yaml"), "resources:\n- workflows.yaml\n");
    Files.writeString(argo.resolve("manifests/crds/workflows.yaml"), """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: workflows.argoproj.io}
        spec:
          group: argoproj.io
          names: {kind: Workflow, plural: workflows}
          scope: Namespaced
          versions: [{name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
        """);
    git(argo, "init", "-q");
    git(argo, "add", "-A");
    git(argo, "-c", "user.email=test@cnai.test", "-c", "user.name=test", "commit", "-qm", "v4.0.5");
    git(argo, "tag", "v4.0.5");
    Path repo = tmp.resolve("git/kubeflow/pipelines");
    Files.createDirectories(repo.resolve("manifests/base"));
    Files.writeString(repo.resolve("manifests/base/kustomization.yaml"),
        "resources:\n- https://github.upstream.invalid/argoproj/argo-workflows/manifests/crds?ref=v4.0.5\n- configmap.yaml\n");
    Files.writeString(repo.resolve("manifests/base/configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pipeline-config}\n");
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "-c", "user.email=test@cnai.test", "-c", "user.name=test", "commit", "-qm", "2.0.0");
    git(repo, "tag", "2.0.0");
    Path lock = distribution("""
            - name: pipelines
              namespace: kubeflow
              source:
                kustomize: {repository: %s, ref: 2.0.0, path: manifests/base}
              provides:
                crds: [{group: argoproj.io, kinds: [Workflow]}]
        %s
        """.formatted(PIPELINES, NO_SIGNATURE));
    Path out = tmp.resolve("out");

    // the pipelines repository is mirrored, argo-workflows is not: refused, naming the remote base
    Path partial = mirrorsFile("https://github.upstream.invalid/kubeflow", tmp.resolve("git/kubeflow").toUri().toString());
    Cli.Result r = Cli.run(cmd("render", lock, "--out", out.toString(), "--mirrors", partial.toString()));
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("pulls the remote base https://github.upstream.invalid/argoproj/argo-workflows")
        .contains("no entry of the mirrors file covers");
    assertThat(out).doesNotExist();

    // both mirrored: the nested base comes from its mirror, and provides.crds is kept
    Path both = mirrorsFile("https://github.upstream.invalid/kubeflow", tmp.resolve("git/kubeflow").toUri().toString(),
        "https://github.upstream.invalid/argoproj", tmp.resolve("git/argoproj").toUri().toString());
    r = Cli.run(cmd("render", lock, "--out", out.toString(), "--mirrors", both.toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("01-pipelines/crds.yaml"))).contains("workflows.argoproj.io");
    assertThat(Files.readString(out.resolve("01-pipelines/manifests.yaml"))).contains("pipeline-config");
    r = Cli.run("distro", "validate", "--render", lock.toString(), "--mirrors", both.toString());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void lockResolvesUpstreamOnlyAndTakesNoMirrors() throws IOException {
    Path lock = chartAndManifest("sha256:" + "0".repeat(64));
    Path mirrors = mirrorsFile(CHARTS, "http://127.0.0.1:1/stable");
    Cli.Result r = Cli.run("distro", "lock", lock.toString(), "--mirrors", mirrors.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--mirrors");
  }

  @Test
  void aBadMirrorsFileIsBadInputBeforeAnythingIsFetched() throws IOException {
    Path lock = chartAndManifest("sha256:" + "0".repeat(64));
    Path mirrors = tmp.resolve("mirrors.yaml");
    Files.writeString(mirrors, "apiVersion: cnai.io/v1alpha1\nkind: Mirrors\nmirrors:\n  - upstream: https://github.upstream.invalid/org?x=1\n    mirror: http://127.0.0.1:1\n");
    for (String verb : List.of("render", "sbom")) {
      List<String> args = new ArrayList<>(List.of(cmd(verb, lock, "--mirrors", mirrors.toString())));
      if (verb.equals("render")) {
        args.addAll(List.of("--out", tmp.resolve("out").toString()));
      }
      Cli.Result r = Cli.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(verb + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("mirrors.yaml:4", "?x=1");
    }
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  private static byte[] kustomizeBuild(String target) throws Exception {
    Process p = new ProcessBuilder(ManifestSources.kustomizeBinary(), "build", target).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] rendered = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return rendered;
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
