package io.cnai.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.conformance.product.ProductFile;
import io.cnai.conformance.product.VendorCheck;
import io.cnai.conformance.template.Templates;
import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's input checks and the needs path through real Cucumber, without a cluster. */
class ConformanceRunnerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  /** The fixture template (v1.36), no product file. */
  static ConformanceRunner.Answering answering(String clusterMinor) {
    return ConformanceRunner.answering(submission(null, VendorCheck.NONE), Optional.empty(), clusterMinor);
  }

  static Submission submission(Path product, VendorCheck vendors) {
    Templates offline = new Templates(Path.of("target/no-cache"), "http://127.0.0.1:1/", java.net.http.HttpClient.newHttpClient(),
        java.time.Duration.ofSeconds(2));
    Path t;
    try {
      t = Files.createTempDirectory("cnai-template").resolve("t.yaml");
      Files.write(t, Fixtures.bytes(Fixtures.TEMPLATE));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Submission(t.toString(), null, product, offline, vendors);
  }

  ConformanceOptions options(Path kubeconfig, String context, String tags) {
    return new ConformanceOptions(kubeconfig, context, tags, dir.resolve("out"), null, CLOCK);
  }

  static void badInput(Runnable r, String contains) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(CnaiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
      assertThat(e.getMessage()).contains(contains);
      assertThat(e.hint()).isNotBlank();
    });
  }

  @Test
  void badTagExpressionIsBadInputBeforeAnythingElse() {
    badInput(() -> ConformanceRunner.run(options(dir.resolve("none"), null, "@MUST and (")), "bad tag expression");
  }

  @Test
  void unreadableKubeconfigIsBadInput() {
    badInput(() -> ConformanceRunner.run(options(dir.resolve("missing.kubeconfig"), null, "")), "cannot be read");
  }

  @Test
  void unknownContextIsBadInputAndNamesTheKnownOnes() throws Exception {
    Path kc = dir.resolve("kubeconfig");
    Files.writeString(kc, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: sim, context: {cluster: c, user: u}}]
        current-context: sim
        """);
    assertThatThrownBy(() -> ConformanceRunner.run(options(kc, "prod", "")))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.hint()).contains("sim");
        });
  }

  @Test
  void unreachableApiServerIsAFailureNotBadInput() throws Exception {
    Path kc = dir.resolve("kubeconfig");
    Files.writeString(kc, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: sim, context: {cluster: c, user: u}}]
        current-context: sim
        """);
    assertThatThrownBy(() -> ConformanceRunner.run(options(kc, null, "")))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE));
  }

  @Test
  void scenariosWhoseNeedsAreUnmetAreReportedNotRunInEveryReportNeverPassed() throws Exception {
    Capabilities none = Capabilities.builder().lacks(Need.CONTAINERS, "no containers here")
        .lacks(Need.GPU, "no real GPU here").lacks(Need.STACK, CapabilityProbe.NO_STACK).build();
    RunContext ctx = new RunContext(null, none, Optional.empty(), null, CLOCK);
    Path out = dir.resolve("out");
    Files.createDirectories(out.resolve("evidence"));
    Files.writeString(out.resolve("evidence/component-kueue.txt"), "result: PASSED (from an earlier run)");
    ConformanceResult r = ConformanceRunner.execute(ctx, "@gang_scheduling or @stack", out, "v1.37.2", "1.37", answering("1.37"));
    assertThat(out.resolve("evidence/component-kueue.txt")).doesNotExist();

    assertThat(r.scenarios()).hasSize(5).allSatisfy(s -> {
      assertThat(s.status()).isEqualTo(ScenarioOutcome.Status.NOT_RUN);
      assertThat(s.reason()).startsWith("not run: ");
    });
    assertThat(r.scenarios()).filteredOn(s -> s.hasTag("stack")).extracting(ScenarioOutcome::reason)
        .containsOnly("not run: no cnai stack installed (no stack revision in cnai-system)");
    assertThat(r.exitCode()).isZero();
    assertThat(r.checklistVersion()).isEqualTo("1.36");
    RequirementOutcome gang = r.requirements().stream().filter(x -> x.requirement().id().equals("gang_scheduling")).findFirst().orElseThrow();
    assertThat(gang.status()).isEqualTo("Not Implemented");
    assertThat(gang.notes()).contains("no cnai stack installed");

    String junit = Files.readString(out.resolve(ConformanceRunner.JUNIT_XML));
    assertThat(junit).contains("skipped=\"5\"").contains("failures=\"0\"");
    // the needs hook stops each scenario before its steps: every step skipped, none passed or failed
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve(ConformanceRunner.CUCUMBER_JSON).toFile());
    java.util.List<String> stepStatuses = new java.util.ArrayList<>();
    json.forEach(f -> f.path("elements").forEach(e -> e.path("steps").forEach(
        st -> stepStatuses.add(st.path("result").path("status").asText()))));
    assertThat(stepStatuses).isNotEmpty().containsOnly("skipped");
    assertThat(out.resolve(ConformanceRunner.CUCUMBER_HTML)).isNotEmptyFile();
    assertThat(Files.readString(out.resolve("evidence/gang_scheduling.txt"))).contains("result: NOT RUN - not run: ");
    assertThat(Files.readString(out.resolve("evidence/stack.txt"))).contains("no stack revision in cnai-system");
    assertThat(r.violations()).extracting(v -> v.where()).anySatisfy(w -> assertThat(w).contains("gang_scheduling"));
    assertThat(r.summary()).contains("gang_scheduling").contains("not run");
    // not submittable, and the report says why
    assertThat(r.submittable()).isFalse();
    assertThat(r.blockers()).anySatisfy(b -> assertThat(b).contains("no product metadata (--product FILE)"))
        .anySatisfy(b -> assertThat(b).contains("v1.37").contains("template is v1.36"));
    assertThat(r.summary()).contains("PRODUCT.yaml: not submittable").contains("no product metadata");
    assertThat(Files.readString(out.resolve("PRODUCT.yaml"))).contains("# NOT SUBMITTABLE: no product metadata")
        .contains("vendorName: \"[Vendor Name]\"").contains("kubernetesVersion: \"v1.36\"");
  }

  @Test
  void withoutNetworkAndWithoutTemplateTheRunStopsBeforeAnyScenarioNamingTheTemplateFlag() throws Exception {
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
      int port = closed.getLocalPort();
      closed.close();
      Templates offline = new Templates(dir.resolve("cache"), "http://127.0.0.1:" + port + "/docs/",
          java.net.http.HttpClient.newHttpClient(), java.time.Duration.ofSeconds(2));
      assertThatThrownBy(() -> ConformanceRunner.answering(new Submission(null, null, null, offline, VendorCheck.NONE),
          Optional.empty(), "1.37")).isInstanceOfSatisfying(CnaiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE);
            assertThat(e.getMessage()).contains("AIConformance-1.37.yaml").contains("--template FILE");
          });
    }
  }

  @Test
  void aProductFileFillsTheMetadataAndTheVendorCheckIsANoteWhenItCannotBeMade() throws Exception {
    Path product = Fixtures.copy(Fixtures.PRODUCT, dir, "product.yaml");
    ConformanceRunner.Answering a = ConformanceRunner.answering(
        submission(product, n -> VendorCheck.Verdict.unknown("offline")), Optional.of(ProductFile.load(product)), "1.36");
    assertThat(a.blockers()).isEmpty();
    assertThat(a.notes()).anySatisfy(n -> assertThat(n).contains("not checked against the CNCF members: offline"));
  }

  @Test
  void aVendorThatIsNotACncfMemberIsRefusedBeforeTheRunAtItsLine() throws Exception {
    Path product = Fixtures.copy(Fixtures.PRODUCT, dir, "product.yaml");
    assertThatThrownBy(() -> ConformanceRunner.answering(
        submission(product, n -> VendorCheck.Verdict.notMember("'" + n + "' is not a CNCF member")),
        Optional.of(ProductFile.load(product)), "1.36")).isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.location().toString()).isEqualTo(product + ":4:13");
          assertThat(e.problem()).contains("'Example Org' is not a CNCF member");
        });
  }

  @Test
  void evidenceForAnIdThatTheTemplateDoesNotListIsRefusedWithASuggestion() throws Exception {
    Path product = dir.resolve("product.yaml");
    Files.writeString(product, Fixtures.text(Fixtures.PRODUCT).replace("  gang_scheduling:", "  gang_schedulng:"));
    assertThatThrownBy(() -> ConformanceRunner.answering(submission(product, VendorCheck.NONE),
        Optional.of(ProductFile.load(product)), "1.36")).isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.location().toString()).isEqualTo(product + ":13:3");
          assertThat(e.hint()).contains("did you mean 'gang_scheduling'?");
        });
  }

  @Test
  void aBadProductFileIsRefusedBeforeTheKubeconfigIsRead() throws Exception {
    Path product = dir.resolve("product.yaml");
    Files.writeString(product, Fixtures.text(Fixtures.PRODUCT).replace("vendorName: Example Org", "vendorName: \"[Vendor Name]\""));
    ConformanceOptions o = new ConformanceOptions(dir.resolve("no-kubeconfig"), null, "", dir.resolve("out"), null, CLOCK,
        submission(product, VendorCheck.NONE));
    assertThatThrownBy(() -> ConformanceRunner.run(o)).isInstanceOfSatisfying(CnaiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
      assertThat(e.location().toString()).isEqualTo(product + ":4:13");
      assertThat(e.problem()).contains("placeholder");
    });
  }

  @Test
  void aFailingMustScenarioMakesTheExitCodeOne() throws Exception {
    // no client: the steps of a scenario without needs fail, and that must count as a failure
    RunContext ctx = new RunContext(null, Capabilities.builder().build(), Optional.empty(), null, CLOCK);
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    ConformanceResult r = ConformanceRunner.execute(ctx, "@dra_support and not @needs-gpu", out, "v1.35.0", "1.35", answering("1.35"));
    assertThat(r.scenarios()).hasSize(2).allMatch(s -> s.status() == ScenarioOutcome.Status.FAILED);
    assertThat(r.exitCode()).isEqualTo(1);
    // dra_support is not in the v1.36 template: its evidence and summary row say so, PRODUCT.yaml does not list it
    assertThat(r.requirements()).noneMatch(x -> x.requirement().id().equals("dra_support"));
    assertThat(Files.readString(out.resolve("evidence/dra_support.txt"))).contains("result: FAILED");
    assertThat(r.summary()).contains("failed (not in checklist v1.36)");
  }

  @Test
  void aTagExpressionThatSelectsNothingIsBadInput() throws Exception {
    RunContext ctx = new RunContext(null, Capabilities.builder().build(), Optional.empty(), null, CLOCK);
    Files.createDirectories(dir.resolve("out"));
    badInput(() -> ConformanceRunner.execute(ctx, "@no_such_tag", dir.resolve("out"), "v1.36.0", "1.36", answering("1.36")), "no scenario matches");
  }
}
