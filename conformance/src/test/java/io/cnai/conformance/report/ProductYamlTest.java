package io.cnai.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.conformance.Requirement;
import io.cnai.conformance.RequirementOutcome;
import io.cnai.conformance.Requirements;
import io.cnai.core.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductYamlTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
  static final List<Requirement> V136 = Requirements.checklist("1.36");

  @TempDir Path dir;

  static RequirementOutcome outcome(Requirement r, String status, String notes, String... evidence) {
    return new RequirementOutcome(r, r.level("1.36").orElseThrow(), status, notes, List.of(evidence), List.of());
  }

  List<RequirementOutcome> allImplemented() throws Exception {
    List<RequirementOutcome> out = new ArrayList<>();
    Files.createDirectories(dir.resolve("evidence"));
    for (Requirement r : V136) {
      Files.writeString(dir.resolve("evidence/" + r.id() + ".txt"), "checked");
      out.add(outcome(r, "Implemented", "all checks passed", "evidence/" + r.id() + ".txt"));
    }
    return out;
  }

  /** Replaces the metadata placeholders as a submitter would. */
  Path writeFilled(List<RequirementOutcome> reqs) throws Exception {
    Path p = dir.resolve("PRODUCT.yaml");
    String text = ProductYaml.render("1.36", Optional.of("2026.11"), reqs, CLOCK)
        .replace("\"[vendor name, as in the CNCF landscape]\"", "\"Example Org\"")
        .replace("\"[website URL]\"", "\"https://example.org\"")
        .replace("\"[repository URL]\"", "\"https://example.org/repo\"")
        .replace("\"[documentation URL]\"", "\"https://example.org/docs\"")
        .replace("\"[product logo URL]\"", "\"https://example.org/logo.svg\"")
        .replace("\"[contact email]\"", "\"ai@example.org\"")
        .replace("\"[URL of the product's Kubernetes conformance submission]\"",
            "\"https://github.com/cncf/k8s-conformance/tree/master/v1.36/cnai\"");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void writtenFileHasTheSubmissionShapeAndReadsBack() throws Exception {
    List<RequirementOutcome> reqs = allImplemented();
    Path p = dir.resolve("PRODUCT.yaml");
    ProductYaml.write(p, "1.36", Optional.of("2026.11"), reqs, CLOCK);
    Map<?, ?> root = (Map<?, ?>) Yaml.read(p).toPlain();
    Map<?, ?> meta = (Map<?, ?>) root.get("metadata");
    assertThat(new ArrayList<Object>(meta.keySet())).isEqualTo(new ArrayList<Object>(ProductYaml.METADATA));
    assertThat(meta.get("kubernetesVersion")).isEqualTo("v1.36");
    assertThat(meta.get("platformVersion")).isEqualTo("2026.11");
    Map<?, ?> spec = (Map<?, ?>) root.get("spec");
    assertThat(new ArrayList<Object>(spec.keySet())).isEqualTo(List.<Object>of("accelerators", "networking", "schedulingOrchestration", "observability", "security", "operator"));
    Map<?, ?> first = (Map<?, ?>) ((List<?>) spec.get("security")).get(0);
    assertThat(first.get("id")).isEqualTo("secure_accelerator_access");
    assertThat(first.get("level")).isEqualTo("MUST");
    assertThat(first.get("status")).isEqualTo("Implemented");
    assertThat(first.get("evidence")).isEqualTo(List.of("evidence/secure_accelerator_access.txt"));
  }

  @Test
  void aCompleteFilledInFileHasNoViolations() throws Exception {
    assertThat(ProductValidator.validate(writeFilled(allImplemented()), V136)).isEmpty();
  }

  @Test
  void placeholdersLeftByCnaiAreReportedUntilFilledIn() throws Exception {
    Path p = dir.resolve("PRODUCT.yaml");
    ProductYaml.write(p, "1.36", Optional.empty(), allImplemented(), CLOCK);
    List<Violation> v = ProductValidator.validate(p, V136);
    assertThat(v).extracting(Violation::where).contains("metadata.vendorName", "metadata.contactEmailAddress",
        "metadata.k8sConformanceUrl", "metadata.platformVersion");
    assertThat(v).allMatch(x -> x.rule().contains("placeholder"));
  }

  @Test
  void mustNotImplementedNaWithoutNotesMissingEvidenceAndMissingIdAreViolations() throws Exception {
    List<RequirementOutcome> reqs = new ArrayList<>(allImplemented());
    Requirement gang = Requirements.byId("gang_scheduling").orElseThrow();
    Requirement auto = Requirements.byId("cluster_autoscaling").orElseThrow();
    Requirement metrics = Requirements.byId("accelerator_metrics").orElseThrow();
    reqs.replaceAll(o -> switch (o.requirement().id()) {
      case "gang_scheduling" -> outcome(gang, "Partially Implemented", "1 passed, 1 not run", "evidence/gang_scheduling.txt");
      case "cluster_autoscaling" -> outcome(auto, "N/A", "");
      case "accelerator_metrics" -> outcome(metrics, "Implemented", "ok", "evidence/not-there.txt");
      default -> o;
    });
    reqs.removeIf(o -> o.requirement().id().equals("robust_controller"));
    List<Violation> v = ProductValidator.validate(writeFilled(reqs), V136);
    assertThat(v).extracting(Violation::toString).anySatisfy(s -> assertThat(s)
        .contains("(gang_scheduling).status").contains("MUST requirement must be Implemented"));
    assertThat(v).extracting(Violation::toString).anySatisfy(s -> assertThat(s)
        .contains("(cluster_autoscaling).notes").contains("N/A needs a justification"));
    assertThat(v).extracting(Violation::toString).anySatisfy(s -> assertThat(s)
        .contains("(accelerator_metrics).evidence").contains("evidence/not-there.txt does not exist"));
    assertThat(v).extracting(Violation::toString).anySatisfy(s -> assertThat(s)
        .contains("'robust_controller' of the checklist is missing"));
  }

  @Test
  void shouldRequirementsMayBeNotImplementedAndNaWithNotesIsFine() throws Exception {
    List<RequirementOutcome> reqs = new ArrayList<>(allImplemented());
    reqs.replaceAll(o -> o.requirement().id().equals("gpu_sharing")
        ? outcome(o.requirement(), "Not Implemented", "not verified") : o);
    reqs.replaceAll(o -> o.requirement().id().equals("cluster_autoscaling")
        ? outcome(o.requirement(), "N/A", "no cluster autoscaler is offered") : o);
    // cluster_autoscaling is a MUST: N/A with notes is still not Implemented for the validator
    List<Violation> v = ProductValidator.validate(writeFilled(reqs), V136);
    assertThat(v).extracting(Violation::where).containsExactly("spec.schedulingOrchestration[1] (cluster_autoscaling).status");
  }

  @Test
  void wrongConformanceUrlAndUnknownStatusAreViolations() throws Exception {
    Path p = writeFilled(allImplemented());
    Files.writeString(p, Files.readString(p)
        .replace("https://github.com/cncf/k8s-conformance/tree/master/v1.36/cnai", "https://example.org/conformance")
        .replaceFirst("status: \"Implemented\"", "status: \"Done\""));
    List<Violation> v = ProductValidator.validate(p, V136);
    assertThat(v).extracting(Violation::where).contains("metadata.k8sConformanceUrl");
    assertThat(v).extracting(Violation::rule).anySatisfy(r -> assertThat(r).contains("'Done' is not one of"));
  }
}
