package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cnai.installer.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
  @Test
  void validatesTheRelease() {
    Cli.Result r = Cli.run("distro", "validate", TestPaths.release().toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("valid: distribution cnai 2026.11");
  }

  @Test
  void validateDefaultsToTheNewestRelease() {
    Cli.Result r = Cli.run("distro", "validate");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("2026.11");
  }

  @Test
  void planJsonHasOneEntryPerWave() throws IOException {
    Cli.Result r = Cli.run("plan", "--profile", "kind", "--output", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode plan = new ObjectMapper().readTree(r.out());
    assertThat(plan.get("kind").asText()).isEqualTo("Plan");
    assertThat(plan.get("waves")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(plan.get("waves").get(0).get("wave").asInt()).isEqualTo(1);
    List<String> wave1 = new ArrayList<>();
    plan.get("waves").get(0).get("components").forEach(c -> wave1.add(c.get("name").asText()));
    assertThat(wave1).contains("cert-manager", "kueue").doesNotContain("kserve");
    assertThat(r.err()).contains("warning:").contains("not locked");
  }

  @Test
  void tableOutputIsForHumans() {
    Cli.Result r = Cli.run("plan", "-p", "laptop");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("WAVE").contains("COMPONENT").contains("kubeflow-trainer");
  }

  @Test
  void setAndValuesFilesReachThePlan(@TempDir Path dir) throws IOException {
    Path values = dir.resolve("v.yaml");
    Files.writeString(values, "kueue:\n  controllerManager:\n    replicas: 2\n");
    Cli.Result r = Cli.run("plan", "-p", "kind", "-f", values.toString(), "--set", "kueue.extra=yes", "-o", "yaml", "--show-values");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("replicas: 2").contains("extra: \"yes\"");
  }

  @Test
  void profileListAndShow() {
    Cli.Result list = Cli.run("profile", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("kind").contains("laptop").contains("eks").contains("gke");
    Cli.Result show = Cli.run("profile", "show", "gke");
    assertThat(show.exit()).isZero();
    assertThat(show.out()).contains("sharing: time-slicing").contains("- base");
  }

  @Test
  void distroShowListsComponents() {
    Cli.Result r = Cli.run("distro", "show");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("cert-manager").contains("v1.21.1").contains("kustomize");
  }

  static Stream<Path> badLockfiles() throws IOException {
    try (Stream<Path> s = Files.list(TestPaths.root().resolve("distro/src/test/resources/bad-lockfiles"))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLockfiles")
  void everyBadLockfileExitsTwoWithOneMessageAndNoStackTrace(Path file) throws IOException {
    String expected = Files.readString(Path.of(file.toString().replaceFirst("\\.yaml$", ".expect"))).strip();
    Cli.Result r = Cli.run("distro", "validate", file.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: " + file).contains(expected).contains("hint: ");
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(r.err().lines().filter(l -> l.startsWith("error:")).count()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"extends-missing", "unknown-component", "gpu-sharing-unknown", "extends-cycle"})
  void badProfilesExitTwo(String name) throws IOException {
    Path dir = TestPaths.root().resolve("profiles/src/test/resources/bad-profiles/" + name);
    List<String> expect = Files.readAllLines(dir.resolve("case.expect"));
    Cli.Result r = Cli.run("plan", "--distribution", TestPaths.root().resolve("profiles/src/test/resources/test-distribution.yaml").toString(),
        "--profiles-dir", dir.toString(), "--profile", expect.get(0));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(expect.get(1)).doesNotContain("\tat ");
  }

  @Test
  void verboseShowsTheStackTrace() {
    Cli.Result r = Cli.run("-v", "distro", "validate", TestPaths.root().resolve("distro/src/test/resources/bad-lockfiles/wrong-kind.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("\tat io.cnai");
  }

  @Test
  void aClusterVersionTheReleaseWasNotVerifiedOnNeedsTheNamedOverrideWhichThePlanRecords() throws Exception {
    Cli.Result refused = Cli.run("plan", "--profile", "kind", "--kube-version", "1.37");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("up to 1.36", "--allow-kube-version 1.37");
    Cli.Result allowed = Cli.run("plan", "--profile", "kind", "--kube-version", "1.37", "--allow-kube-version", "1.37", "-o", "json");
    assertThat(allowed.exit()).as(allowed.err()).isZero();
    JsonNode plan = new ObjectMapper().readTree(allowed.out());
    assertThat(plan.get("warnings").toString()).contains("planned anyway because of --allow-kube-version 1.37");
    Cli.Result strict = Cli.run("plan", "--profile", "kind", "-o", "json");
    assertThat(new ObjectMapper().readTree(strict.out()).get("digest")).as("the override is part of the plan digest")
        .isNotEqualTo(plan.get("digest"));
    assertThat(Cli.run("plan", "--allow-kube-version", "newest").err()).contains("'newest' is not a Kubernetes version");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(Cli.run("plan", "--no-such-flag").exit()).isEqualTo(2);
    assertThat(Cli.run("bogus").exit()).isEqualTo(2);
    Cli.Result r = Cli.run("plan", "--output", "xml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("xml");
    assertThat(Cli.run("plan", "--kube-version", "latest").err()).contains("'latest' is not a Kubernetes version");
    assertThat(Cli.run("plan", "--profile", "kidn").err()).contains("did you mean 'kind'?");
    assertThat(Cli.run("distro", "validate", "/no/such/file.yaml").err()).contains("/no/such/file.yaml: file not found");
  }

  @Test
  void helpHasExamples() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Examples:").contains("cnai plan --profile kind --output json");
    assertThat(Cli.run("plan", "--help").out()).contains("Examples:");
  }
}
