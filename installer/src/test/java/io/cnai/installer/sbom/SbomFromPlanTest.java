package io.cnai.installer.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.helm.Manifest;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.testing.TestStack;
import io.cnai.sbom.CycloneDxSbom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cnai sbom' on the fixture stack served by a real local chart repository. */
class SbomFromPlanTest {
  static final String PINNED = "sha256:" + "ab".repeat(32);
  @TempDir Path tmp;
  LocalChartRepository repo;
  TestStack stack;
  final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void setUp() throws IOException {
    System.setProperty("cnai.cache", tmp.resolve("cache").toString());
    repo = LocalChartRepository.start();
    stack = TestStack.fixture(repo, tmp, true, null);
    // the lockfile lists one image beside those the manifests name, pinned by digest
    String text = Files.readString(stack.distribution());
    text = text.replace(
        "      provides:\n        crds: [{group: features.cnai.test",
        "      images:\n        - {reference: registry.cnai.test/store-sidecar:1.0.0, digest: " + PINNED + "}\n"
            + "      provides:\n        crds: [{group: features.cnai.test");
    assertThat(text).contains("store-sidecar");
    Files.writeString(stack.distribution(), text);
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("cnai.cache");
    repo.close();
  }

  static String[] with(String verb, String[] args) {
    return Stream.concat(Stream.of(verb), Stream.of(args)).toArray(String[]::new);
  }

  static List<JsonNode> flatten(JsonNode components) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode c : components) {
      out.add(c);
      if (c.has("components")) {
        out.addAll(flatten(c.get("components")));
      }
    }
    return out;
  }

  static String property(JsonNode c, String name) {
    for (JsonNode p : c.path("properties")) {
      if (p.get("name").asText().equals(name)) {
        return p.get("value").asText();
      }
    }
    return null;
  }

  /** Independently of cnai's walk: every 'image:' value in the YAML files 'cnai render' wrote. */
  static Set<String> imagesByGrep(Path rendered) throws IOException {
    Pattern image = Pattern.compile("\\bimage:\\s*\"?([a-z0-9][^\"\\s,}\\]]*)");
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.walk(rendered)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Matcher m = image.matcher(Files.readString(f));
        while (m.find()) {
          found.add(m.group(1));
        }
      }
    }
    return found;
  }

  @Test
  void mutableTagsAreWarnedAndPinnedOnesAreNot() {
    Cli.Result plain = Cli.run(with("sbom", stack.args()));
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(plain.err()).doesNotContain("mutable tag");

    Cli.Result r = Cli.run(with("sbom", stack.args(
        "--set", "queues.controllerManager.image=vllm/vllm-openai:latest",
        "--set", "certs.image.tag=latest")));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("warning: component 'queues': image 'vllm/vllm-openai:latest' (Deployment ")
        .contains("has a mutable tag and no digest")
        .contains("component 'certs': image '");
    assertThat(r.err().lines().filter(l -> l.contains("mutable tag")).count()).isEqualTo(2);
    // still in the SBOM: the warning says what to fix, it does not hide the image
    assertThat(r.out()).contains("vllm/vllm-openai:latest");
  }

  @Test
  void sbomOfTheFixtureStackValidatesAndListsEveryRenderedImage() throws Exception {
    Path out = tmp.resolve("sbom/stack.cdx.json");
    Cli.Result r = Cli.run(with("sbom", stack.args("--out", out.toString())));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("wrote " + out).contains("4 components");
    String text = Files.readString(out);
    assertThat(CycloneDxSbom.validate(text)).isEmpty();

    Cli.Result rendered = Cli.run(with("render", stack.args("--out", tmp.resolve("rendered").toString())));
    assertThat(rendered.exit()).as(rendered.err()).isZero();
    Set<String> expected = imagesByGrep(tmp.resolve("rendered"));
    assertThat(expected).hasSizeGreaterThanOrEqualTo(5).contains("registry.cnai.test/store-operator:1.0.0");

    JsonNode sbom = json.readTree(text);
    List<JsonNode> all = flatten(sbom.get("components"));
    Set<String> inSbom = new TreeSet<>();
    for (JsonNode c : all) {
      if (c.get("type").asText().equals("container")) {
        inSbom.add(property(c, "cnai:image"));
      }
    }
    Set<String> want = new TreeSet<>(expected);
    want.add("registry.cnai.test/store-sidecar:1.0.0@" + PINNED);
    assertThat(inSbom).isEqualTo(want);

    JsonNode sidecar = all.stream().filter(c -> "registry.cnai.test/store-sidecar:1.0.0@".concat(PINNED).equals(property(c, "cnai:image"))).findFirst().orElseThrow();
    assertThat(sidecar.at("/hashes/0/content").asText()).isEqualTo(PINNED.substring(7));
    assertThat(property(sidecar, "cnai:found-in")).isEqualTo("lockfile");

    String meta = sbom.at("/metadata/properties").toString();
    assertThat(meta).contains("cnai:profile").contains("\"test\"").contains("cnai:plan-digest")
        .contains(io.cnai.installer.plan.Canonical.sha256(Files.readAllBytes(stack.distribution())));

    JsonNode certs = sbom.get("components").get(0);
    assertThat(certs.get("name").asText()).isEqualTo("certs");
    assertThat(certs.get("version").asText()).isEqualTo("1.4.0");
    assertThat(certs.at("/externalReferences/0/url").asText()).isEqualTo(repo.url());
    JsonNode chart = certs.get("components").get(0);
    assertThat(property(chart, "cnai:artifact")).isEqualTo("chart");
    assertThat("sha256:" + chart.at("/hashes/0/content").asText()).isEqualTo(stack.digest("certs"));

    JsonNode hooksDeps = null;
    for (JsonNode d : sbom.get("dependencies")) {
      if (d.get("ref").asText().equals("component:hooks")) {
        hooksDeps = d.get("dependsOn");
      }
    }
    assertThat(hooksDeps).isNotNull();
    assertThat(hooksDeps.toString()).contains("component:certs");
  }

  @Test
  void tamperedChartIsRefusedAndNoSbomIsWritten() throws IOException {
    repo.tamper("hooks", "2.0.0", "not the chart".getBytes());
    Path out = tmp.resolve("sbom.json");
    Cli.Result r = Cli.run(with("sbom", stack.args("--out", out.toString())));
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("hooks");
    assertThat(out).doesNotExist();
  }

  @Test
  void unknownProfileIsBadInput() {
    Cli.Result r = Cli.run("sbom", "--distribution", stack.distribution().toString(), "--profiles-dir", stack.profiles.toString(), "--profile", "nope");
    assertThat(r.exit()).isEqualTo(2);
  }

  static Manifest m(String kind, String ns, String name, String yaml) {
    return new Manifest("v1", kind, ns, name, yaml);
  }

  @Test
  void imagesOfEveryPodSpecShape() {
    RenderedChart rendered = new RenderedChart(
        List.of(m("CustomResourceDefinition", null, "x", "kind: CustomResourceDefinition\nspec: {containers: [{image: crd/not-counted:1}]}")),
        List.of(
            m("Deployment", null, "d", """
                kind: Deployment
                spec:
                  template:
                    spec:
                      initContainers: [{name: init, image: "reg.test/init:1"}]
                      containers:
                        - {name: a, image: reg.test/a:1}
                        - {name: b, image: reg.test/b@sha256:%s}
                """.formatted("cd".repeat(32))),
            m("CronJob", "jobs", "c", """
                kind: CronJob
                spec:
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          containers: [{name: c, image: reg.test/cron:2}]
                """),
            m("Pod", "p", "pod", "kind: Pod\nspec:\n  containers: [{name: p, image: reg.test/pod:3}]\n  ephemeralContainers: [{name: e, image: reg.test/debug:4}]\n"),
            m("ConfigMap", null, "cm", "kind: ConfigMap\ndata:\n  image: reg.test/not-a-container:1\n"),
            m("ServingRuntime", null, "sr", "kind: ServingRuntime\nspec:\n  containers: [{name: s, image: reg.test/serving:5}]\n")),
        List.of(m("Job", null, "hook", "kind: Job\nspec:\n  template:\n    spec:\n      containers: [{name: h, image: reg.test/hook:6}]\n")));
    List<SbomFromPlan.ImageUse> uses = SbomFromPlan.images("default-ns", rendered);
    assertThat(uses).extracting(SbomFromPlan.ImageUse::reference)
        .containsExactly("reg.test/init:1", "reg.test/a:1", "reg.test/b@sha256:" + "cd".repeat(32), "reg.test/cron:2", "reg.test/pod:3",
            "reg.test/debug:4", "reg.test/serving:5", "reg.test/hook:6");
    assertThat(uses.get(0).foundIn()).isEqualTo("Deployment default-ns/d");
    assertThat(uses.get(3).foundIn()).isEqualTo("CronJob jobs/c");
  }
}
