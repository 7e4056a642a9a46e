package io.cnai.installer.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnai.distro.DistributionLoader;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.plan.Canonical;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A component shipped only as a kustomize base in a git repository, as Kubeflow Pipelines is:
 * 'distro lock' pins the digest of the rendered manifests, 'render' verifies and splits them, and a
 * tag moved upstream is refused. Uses the kustomize binary built by build-kustomize.sh and a real git
 * repository on disk.
 */
class KustomizeSourceTest {
  @TempDir Path tmp;
  Path repo;
  Path lockfile;
  Path profiles;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Files.isExecutable(Path.of(ManifestSources.kustomizeBinary())),
        "not run: kustomize binary missing; run installer/tools/build-kustomize.sh");
    System.setProperty("cnai.cache", tmp.resolve("cache").toString());
    repo = tmp.resolve("pipelines");
    Files.createDirectories(repo.resolve("manifests/base"));
    Files.writeString(repo.resolve("manifests/base/kustomization.yaml"), "namespace: kubeflow\nresources:\n- crd.yaml\n- deployment.yaml\n");
    Files.writeString(repo.resolve("manifests/base/crd.yaml"), """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: runs.pipelines.cnai.test
        spec:
          group: pipelines.cnai.test
          names: {kind: Run, plural: runs}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema: {openAPIV3Schema: {type: object}}
        """);
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
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.email=test@cnai.test", "-c", "user.name=test", "commit", "-qm", "v2.0.0");
    git("tag", "2.0.0");
    lockfile = tmp.resolve("distribution.yaml");
    Files.writeString(lockfile, """
        apiVersion: distro.cnai.io/v1alpha1
        kind: Distribution
        metadata: {name: kustomized, version: "2026.11"}
        spec:
          components:
            - name: pipelines
              namespace: kubeflow
              source:
                kustomize:
                  repository: %s
                  ref: 2.0.0
                  path: manifests/base
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
        """.formatted(repo.toUri().toString().replaceFirst("/$", "")));
    profiles = tmp.resolve("profiles");
    Files.createDirectories(profiles);
    Files.writeString(profiles.resolve("test.yaml"), "apiVersion: cnai.io/v1alpha1\nkind: Profile\nmetadata: {name: test}\n");
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("cnai.cache");
  }

  private void git(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private String[] stack(String verb, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(verb, "--distribution", lockfile.toString(), "--profiles-dir", profiles.toString(), "--profile", "test"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void lockPinsTheRenderedManifestsAndRenderVerifiesThem() throws Exception {
    Cli.Result lock = Cli.run("distro", "lock", lockfile.toString());
    assertThat(lock.exit()).as(lock.err()).isZero();
    String digest = DistributionLoader.load(lockfile).component("pipelines").orElseThrow().source().digest();
    assertThat(digest).startsWith("sha256:");

    Path out = tmp.resolve("out");
    Cli.Result render = Cli.run(stack("render", "--out", out.toString()));
    assertThat(render.exit()).as(render.err()).isZero();
    assertThat(Files.readString(out.resolve("01-pipelines/crds.yaml"))).contains("runs.pipelines.cnai.test");
    assertThat(Files.readString(out.resolve("01-pipelines/manifests.yaml"))).contains("pipeline-api").contains("namespace: kubeflow")
        .doesNotContain("CustomResourceDefinition");
    // the digest is that of exactly what kustomize rendered
    Process p = new ProcessBuilder(ManifestSources.kustomizeBinary(), "build", repo.toUri().toString().replaceFirst("/$", "") + "//manifests/base?ref=2.0.0").start();
    byte[] rendered = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Canonical.sha256(rendered)).isEqualTo(digest);
  }

  @Test
  void aTagMovedUpstreamIsRefused() throws Exception {
    assertThat(Cli.run("distro", "lock", lockfile.toString()).exit()).isZero();
    String before = Files.readString(lockfile);
    // upstream re-tags 2.0.0 on another commit
    Files.writeString(repo.resolve("manifests/base/deployment.yaml"),
        Files.readString(repo.resolve("manifests/base/deployment.yaml")).replace("2.0.0", "2.0.0-evil"));
    git("-c", "user.email=test@cnai.test", "-c", "user.name=test", "commit", "-qam", "moved");
    git("tag", "-f", "2.0.0");
    Cli.Result lock = Cli.run("distro", "lock", lockfile.toString());
    assertThat(lock.exit()).isEqualTo(3);
    assertThat(lock.err()).contains("mismatch: pipelines");
    assertThat(Files.readString(lockfile)).isEqualTo(before);
    // the cache holds the verified bytes, so render stays correct offline; with a fresh cache it refuses
    System.setProperty("cnai.cache", tmp.resolve("fresh-cache").toString());
    Cli.Result render = Cli.run(stack("render", "--out", tmp.resolve("out").toString()));
    assertThat(render.exit()).isEqualTo(3);
    assertThat(render.err()).contains("component 'pipelines'").contains("the lock says");
    assertThat(tmp.resolve("out")).doesNotExist();
  }
}
