package io.cnai.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.conformance.Fixtures;
import io.cnai.conformance.RequirementOutcome;
import io.cnai.conformance.product.ProductFile;
import io.cnai.conformance.product.ProductInfo;
import io.cnai.conformance.template.Template;
import io.cnai.conformance.template.TemplateRequirement;
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

/** PRODUCT.yaml is the template answered: texts verbatim, metadata from the product file, the validator's rules. */
class ProductYamlTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
  static final Template T = Fixtures.template();

  @TempDir Path dir;

  static RequirementOutcome outcome(TemplateRequirement r, String status, String notes, String... evidence) {
    return new RequirementOutcome(r, status, false, notes, List.of(evidence), List.of());
  }

  List<RequirementOutcome> allImplemented() throws Exception {
    List<RequirementOutcome> out = new ArrayList<>();
    Files.createDirectories(dir.resolve("evidence"));
    for (TemplateRequirement r : T.requirements()) {
      Files.writeString(dir.resolve("evidence/" + r.id() + ".txt"), "checked");
      out.add(outcome(r, "Implemented", "all checks passed", "evidence/" + r.id() + ".txt"));
    }
    return out;
  }

  ProductInfo product() {
    return ProductFile.load(Fixtures.copy(Fixtures.PRODUCT, dir.resolve("input"), "product.yaml"));
  }

  Path write(List<RequirementOutcome> reqs, Optional<ProductInfo> product) {
    Path p = dir.resolve("PRODUCT.yaml");
    ProductYaml.write(p, T, product, Optional.of("2026.11"), reqs, List.of(), CLOCK);
    return p;
  }

  @Test
  void idDescriptionAndLevelAreWrittenExactlyAsTheTemplateHasThem() throws Exception {
    Path p = write(allImplemented(), Optional.of(product()));
    Map<?, ?> written = (Map<?, ?>) Yaml.read(p).toPlain();
    Map<?, ?> template = (Map<?, ?>) Yaml.parse("template", Fixtures.bytes(Fixtures.TEMPLATE)).toPlain();
    Map<?, ?> ws = (Map<?, ?>) written.get("spec");
    Map<?, ?> ts = (Map<?, ?>) template.get("spec");
    assertThat(new ArrayList<Object>(ws.keySet())).isEqualTo(new ArrayList<Object>(ts.keySet()));
    int compared = 0;
    for (Object cat : ts.keySet()) {
      List<?> wl = (List<?>) ws.get(cat);
      List<?> tl = (List<?>) ts.get(cat);
      assertThat(wl).hasSameSizeAs(tl);
      for (int i = 0; i < tl.size(); i++) {
        Map<?, ?> w = (Map<?, ?>) wl.get(i);
        Map<?, ?> t = (Map<?, ?>) tl.get(i);
        for (String k : List.of("id", "description", "level")) {
          assertThat(w.get(k)).as(cat + "[" + i + "]." + k).isEqualTo(t.get(k));
          compared++;
        }
        assertThat(new ArrayList<Object>(w.keySet())).isEqualTo(List.<Object>of("id", "description", "level", "status", "evidence", "notes"));
      }
    }
    assertThat(compared).isEqualTo(14 * 3);
  }

  @Test
  void metadataComesFromTheProductFileInTheTemplatesOrderAndTheVersionFromTheTemplate() throws Exception {
    Map<?, ?> meta = (Map<?, ?>) ((Map<?, ?>) Yaml.read(write(allImplemented(), Optional.of(product()))).toPlain()).get("metadata");
    assertThat(new ArrayList<Object>(meta.keySet())).containsExactly("kubernetesVersion", "platformName", "platformVersion",
        "vendorName", "websiteUrl", "repoUrl", "documentationUrl", "productLogoUrl", "description", "contactEmailAddress",
        "k8sConformanceUrl");
    assertThat(meta.get("kubernetesVersion")).isEqualTo("v1.36");
    assertThat(meta.get("vendorName")).isEqualTo("Example Org");
    assertThat(meta.get("platformVersion")).isEqualTo("2026.11");
    assertThat(meta.get("k8sConformanceUrl")).isEqualTo("https://github.com/cncf/k8s-conformance/tree/master/v1.36/cnai-test");
    assertThat(meta.values()).noneMatch(v -> v.toString().startsWith("["));
  }

  @Test
  void aCompleteAnswerWithAProductFilePassesTheValidatorRules() throws Exception {
    List<RequirementOutcome> reqs = allImplemented();
    reqs.replaceAll(o -> o.requirement().id().equals("gang_scheduling")
        ? outcome(o.requirement(), "Implemented", "ok", "evidence/gang_scheduling.txt", "https://example.org/cnai/docs/gang") : o);
    assertThat(ProductValidator.validate(write(reqs, Optional.of(product())), T)).isEmpty();
  }

  @Test
  void withoutAProductFileTheTemplatesPlaceholdersStayAndAreViolations() throws Exception {
    List<Violation> v = ProductValidator.validate(write(allImplemented(), Optional.empty()), T);
    assertThat(v).extracting(Violation::where).contains("metadata.vendorName", "metadata.contactEmailAddress",
        "metadata.platformName", "metadata.websiteUrl", "metadata.k8sConformanceUrl");
    assertThat(v).allSatisfy(x -> assertThat(x.rule()).contains("placeholder"));
  }

  @Test
  void aConditionalMustWhoseConditionDoesNotHoldPassesTheValidatorAsImplementedWithNotes() throws Exception {
    List<RequirementOutcome> reqs = allImplemented();
    reqs.replaceAll(o -> o.requirement().id().equals("cluster_autoscaling")
        ? RequirementOutcome.of(o.requirement(), List.of(new io.cnai.conformance.ScenarioOutcome("f", "probe", "x.feature:1",
            java.util.Set.of("@cluster_autoscaling"), io.cnai.conformance.ScenarioOutcome.Status.NOT_APPLICABLE,
            "no cluster autoscaler is offered", List.of())), List.of("evidence/cluster_autoscaling.txt"))
        : o);
    Path p = write(reqs, Optional.of(product()));
    assertThat(ProductValidator.validate(p, T)).isEmpty();
    assertThat(Files.readString(p)).contains("status: \"Implemented\"\n      evidence:\n        - \"evidence/cluster_autoscaling.txt\"\n"
        + "      notes: \"Conditional requirement whose condition does not hold on this platform: no cluster autoscaler is offered.");
  }

  @Test
  void theValidatorsRulesOnStatusNotesEvidenceAndMissingRequirements() throws Exception {
    List<RequirementOutcome> reqs = new ArrayList<>(allImplemented());
    reqs.replaceAll(o -> switch (o.requirement().id()) {
      case "gang_scheduling" -> outcome(o.requirement(), "Partially Implemented", "1 passed, 1 not run", "evidence/gang_scheduling.txt");
      case "cluster_autoscaling" -> outcome(o.requirement(), "N/A", "");
      case "accelerator_metrics" -> outcome(o.requirement(), "Implemented", "ok", "evidence/not-there.txt");
      case "gpu_sharing" -> outcome(o.requirement(), "Not Implemented", "not verified");
      case "high_performance_networking" -> outcome(o.requirement(), "N/A", "no secondary networks");
      default -> o;
    });
    Path p = write(reqs, Optional.of(product()));
    // a requirement removed from the answer
    Files.writeString(p, Files.readString(p).replaceAll("(?s)  operator:\n.*", "  operator: []\n"));
    List<String> v = ProductValidator.validate(p, T).stream().map(Violation::toString).toList();
    assertThat(v).anySatisfy(s -> assertThat(s).contains("(gang_scheduling).status").contains("MUST requirement must be Implemented"));
    assertThat(v).anySatisfy(s -> assertThat(s).contains("(cluster_autoscaling).notes").contains("N/A needs a justification"));
    assertThat(v).anySatisfy(s -> assertThat(s).contains("(cluster_autoscaling).status").contains("must be Implemented"));
    assertThat(v).anySatisfy(s -> assertThat(s).contains("(accelerator_metrics).evidence").contains("evidence/not-there.txt does not exist"));
    assertThat(v).anySatisfy(s -> assertThat(s).contains("'robust_controller' of the template is missing"));
    // a SHOULD may be Not Implemented, or N/A with notes
    assertThat(v).noneSatisfy(s -> assertThat(s).containsAnyOf("gpu_sharing", "high_performance_networking"));
    assertThat(v).hasSize(5);
  }

  @Test
  void changedTextsLevelsVersionsAndUrlsAreViolations() throws Exception {
    Path p = write(allImplemented(), Optional.of(product()));
    Files.writeString(p, Files.readString(p)
        .replace("TEST FIXTURE: all pods of a gang start together, or none does.", "Our own words.")
        .replaceFirst("level: \"SHOULD\"", "level: \"MUST\"")
        .replace("kubernetesVersion: \"v1.36\"", "kubernetesVersion: \"v1.37\"")
        .replace("https://github.com/cncf/k8s-conformance/tree/master/v1.36/cnai-test", "https://example.org/conformance")
        .replaceFirst("status: \"Implemented\"", "status: \"Done\""));
    List<String> v = ProductValidator.validate(p, T).stream().map(Violation::toString).toList();
    assertThat(v).anySatisfy(s -> assertThat(s).contains("(gang_scheduling).description: differs from the template's"));
    assertThat(v).anySatisfy(s -> assertThat(s).contains("(driver_runtime_management).level: is 'MUST', the template has 'SHOULD'"));
    assertThat(v).anySatisfy(s -> assertThat(s).contains("metadata.kubernetesVersion: is v1.37 but the template is v1.36"));
    assertThat(v).anySatisfy(s -> assertThat(s).startsWith("metadata.k8sConformanceUrl"));
    assertThat(v).anySatisfy(s -> assertThat(s).contains("'Done' is not one of"));
  }

  @Test
  void snakeCaseMetadataIsAcceptedAsTheValidatorDoes() throws Exception {
    Path p = write(allImplemented(), Optional.of(product()));
    Files.writeString(p, Files.readString(p).replace("  contactEmailAddress:", "  contact_email_address:")
        .replace("  k8sConformanceUrl:", "  k8s_conformance_url:"));
    assertThat(ProductValidator.validate(p, T)).isEmpty();
    assertThat(ProductValidator.snake("k8sConformanceUrl")).isEqualTo("k8s_conformance_url");
  }

  @Test
  void quotedScalarsReadBackAsWritten() {
    for (String s : List.of("a \"b\" \\ c", "line\nbreak", "tab\there", "nel\u0085ls\u2028ps\u2029", "bom\ufeff", "ctl\u0001", "模型 ü")) {
      assertThat(Yaml.parse("q", "k: " + ProductYaml.quote(s) + "\n").toPlain()).isEqualTo(Map.of("k", s));
    }
  }
}
