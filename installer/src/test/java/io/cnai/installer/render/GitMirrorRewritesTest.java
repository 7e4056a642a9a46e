package io.cnai.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git configuration cnai hands kustomize for a mirrored kustomize source, run with the real
 * git the way kustomize clones a remote base ('git init', 'git fetch --depth=1 URL REF'): a
 * covered upstream comes from its mirror; an uncovered one fails locally, and the error names it.
 */
class GitMirrorRewritesTest {
  @TempDir Path tmp;

  record Run(int exit, String out) {}

  static Run git(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  static void ok(Path dir, String... args) throws Exception {
    Run r = git(dir, Map.of(), args);
    assertThat(r.exit()).as(r.out()).isZero();
  }

  @Test
  void coveredRemoteBasesComeFromTheMirrorAndOthersNeverReachUpstream() throws Exception {
    Path repo = tmp.resolve("mirror/argoproj/argo-workflows");
    Files.createDirectories(repo.resolve("manifests/crds"));
    Files.writeString(repo.resolve("manifests/crds/kustomization.yaml"), "resources: []\n");
    ok(repo, "init", "-q");
    ok(repo, "add", "-A");
    ok(repo, "-c", "user.email=test@cnai.test", "-c", "user.name=test", "commit", "-qm", "v4.0.5");
    ok(repo, "tag", "v4.0.5");

    Map<String, String> env = new HashMap<>();
    env.put("GIT_CONFIG_COUNT", "1"); // what the user already has stays
    env.put("GIT_CONFIG_KEY_0", "user.name");
    env.put("GIT_CONFIG_VALUE_0", "someone");
    ManifestSources.gitRewrites(env, Map.of(
        "https://github.upstream.invalid/argoproj", tmp.resolve("mirror/argoproj").toUri().toString(),
        "https://github.upstream.invalid/kubeflow/pipelines", "file:///srv/elsewhere/pipelines"));
    assertThat(env.get("GIT_CONFIG_COUNT")).isEqualTo("5");
    assertThat(env.get("GIT_CONFIG_KEY_0")).isEqualTo("user.name");

    Path clone = tmp.resolve("clone");
    Files.createDirectories(clone);
    ok(clone, "init", "-q");
    Run fetched = git(clone, env, "fetch", "--depth=1", "https://github.upstream.invalid/argoproj/argo-workflows", "v4.0.5");
    assertThat(fetched.exit()).as(fetched.out()).isZero();
    ok(clone, "checkout", "-q", "FETCH_HEAD");
    assertThat(clone.resolve("manifests/crds/kustomization.yaml")).exists();

    // an organisation no entry covers: refused locally (no network), and the error names the upstream
    Run refused = git(clone, env, "fetch", "--depth=1", "https://github.upstream.invalid/other/base", "v1");
    assertThat(refused.exit()).isNotZero();
    assertThat(ManifestSources.unmirrored(refused.out())).isEqualTo("https://github.upstream.invalid/other/base");
    // a prefix that only looks like a covered one is not covered
    Run lookalike = git(clone, env, "fetch", "--depth=1", "https://github.upstream.invalid/argoproj-fork/argo-workflows", "v4.0.5");
    assertThat(ManifestSources.unmirrored(lookalike.out())).isEqualTo("https://github.upstream.invalid/argoproj-fork/argo-workflows");
  }

  @Test
  void withoutMirrorsNothingIsSet() {
    Map<String, String> env = new HashMap<>();
    ManifestSources.gitRewrites(env, Map.of());
    assertThat(env).isEmpty();
    assertThat(ManifestSources.unmirrored("fatal: could not read from remote repository")).isNull();
  }
}
