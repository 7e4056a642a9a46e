package io.cnai.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.testing.FixtureStackTest;
import io.cnai.installer.testing.TestStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cnai render' against a real local HTTP chart repository serving the fixture charts. */
class RenderCommandTest extends FixtureStackTest {

  String[] render(Path out) {
    return stack.args("--out", out.toString());
  }

  static String[] prepend(String verb, String[] args) {
    return Stream.concat(Stream.of(verb), Stream.of(args)).toArray(String[]::new);
  }

  @Test
  void writesEachComponentWithCrdsApart() throws IOException {
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run(prepend("render", render(out)));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(out.resolve("plan.json")).exists();
    assertThat(Files.readString(out.resolve("01-certs/crds.yaml"))).contains("kind: CustomResourceDefinition").contains("certs.cnai.test");
    assertThat(Files.readString(out.resolve("01-certs/manifests.yaml"))).contains("kind: Deployment").doesNotContain("CustomResourceDefinition");
    assertThat(out.resolve("02-queues/crds.yaml")).exists();
    assertThat(Files.readString(out.resolve("02-hooks/hooks.yaml"))).contains("helm.sh/hook");
    assertThat(Files.readString(out.resolve("01-store-operator/crds.yaml"))).contains("stores.features.cnai.test");
    assertThat(Files.readString(out.resolve("01-store-operator/manifests.yaml"))).contains("store-operator").doesNotContain("CustomResourceDefinition");
    assertThat(r.out()).contains("queues").contains("(first use)");
    assertThat(r.err()).contains("not locked yet (queues)");
  }

  @Test
  void tamperedChartIsRefusedBeforeAnythingIsWritten() throws IOException {
    repo.tamper("hooks", "2.0.0", "not the chart".getBytes());
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run(prepend("render", render(out)));
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("hooks").contains(stack.digest("hooks"));
    assertThat(out).doesNotExist();
  }

  @Test
  void everyFailingComponentIsReportedTogetherAndNothingIsWritten() throws IOException {
    // three components fail in three ways: a tampered chart (verification), a tampered manifest
    // (verification) and values the chart's schema refuses (bad input, found only by rendering)
    String schemaDigest = repo.publishFixture("schema").digest();
    Files.writeString(stack.distribution(), Files.readString(stack.distribution()) + """
            - name: tracker
              namespace: tracker
              source:
                helm: {repository: %s, chart: schema, version: 1.0.0, digest: %s}
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
        """.formatted(repo.url(), schemaDigest));
    Path out = tmp.resolve("out");
    // one failure alone is reported as itself: bad input, exit 2
    Cli.Result one = Cli.run(prepend("render", stack.args("--out", out.toString(), "--set", "tracker.replicas=0")));
    assertThat(one.exit()).as(one.err()).isEqualTo(2);
    assertThat(one.err()).contains("replicas").doesNotContain("components failed");
    assertThat(out).doesNotExist();

    // a fresh cache: the first run cached the good hooks chart and manifest by digest
    System.setProperty("cnai.cache", tmp.resolve("cache2").toString());
    repo.tamper("hooks", "2.0.0", "not the chart".getBytes());
    Files.writeString(tmp.resolve("operator.yaml"), "kind: Evil\n", java.nio.file.StandardOpenOption.APPEND);
    Cli.Result r = Cli.run(prepend("render", stack.args("--out", out.toString(), "--set", "tracker.replicas=0")));
    assertThat(r.exit()).as(r.err()).isEqualTo(3);
    assertThat(r.err())
        .contains("3 of 5 components failed (all listed; nothing was written or applied)")
        .contains("- hooks (fetch): chart hooks")
        .contains("- store-operator (fetch): component 'store-operator'")
        .contains("- tracker (render):")
        .contains("replicas");
    assertThat(out).doesNotExist();
  }

  @Test
  void mutableImageTagsAreWarned() {
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run(prepend("render", stack.args("--out", out.toString(), "--set", "queues.controllerManager.image=vllm/vllm-openai:latest")));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("warning: component 'queues': image 'vllm/vllm-openai:latest'").contains("mutable tag");
    Cli.Result plain = Cli.run(prepend("render", stack.args("--out", out.toString())));
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(plain.err()).doesNotContain("mutable tag");
  }

  @Test
  void tamperedManifestIsRefused() throws IOException {
    Files.writeString(tmp.resolve("operator.yaml"), "kind: Evil\n", java.nio.file.StandardOpenOption.APPEND);
    Cli.Result r = Cli.run(prepend("render", render(tmp.resolve("out"))));
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("store-operator").contains("the lock says " + stack.digest("store-operator"));
  }

  @Test
  void rendersOfflineOnceCached() throws IOException {
    Path out = tmp.resolve("out");
    assertThat(Cli.run(prepend("render", render(out))).exit()).isZero();
    // lock the one unlocked chart so nothing needs the repository, then take it down
    io.cnai.distro.LockfileEditor editor = new io.cnai.distro.LockfileEditor("d", Files.readString(stack.distribution()));
    editor.setSourceDigest("queues", stack.digest("queues"));
    Files.writeString(stack.distribution(), editor.text());
    repo.down(true);
    int before = repo.requests();
    Cli.Result r = Cli.run(prepend("render", stack.args("--out", out.toString())));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(repo.requests()).isEqualTo(before);
  }

  @Test
  void refusesAFolderItDidNotWrite() throws IOException {
    Path out = tmp.resolve("mine");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "keep me");
    Cli.Result r = Cli.run(prepend("render", render(out)));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(out.resolve("notes.txt")).hasContent("keep me");
  }
}
