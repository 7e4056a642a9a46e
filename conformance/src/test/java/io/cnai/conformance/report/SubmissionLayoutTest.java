package io.cnai.conformance.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.conformance.Fixtures;
import io.cnai.conformance.RequirementOutcome;
import io.cnai.conformance.product.ProductFile;
import io.cnai.conformance.template.Template;
import io.cnai.conformance.template.TemplateRequirement;
import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** submit-dir lays a run's reports out as the program's repository holds a submission. */
class SubmissionLayoutTest {
  static final Template T = Fixtures.template();

  @TempDir Path dir;

  /** A run's output folder: PRODUCT.yaml (all implemented, or with a MUST left) and its evidence. */
  Path report(boolean withProduct, boolean allImplemented) throws Exception {
    Path out = dir.resolve("report");
    Files.createDirectories(out.resolve("evidence"));
    Files.writeString(out.resolve("evidence/component-kueue.txt"), "not named by PRODUCT.yaml");
    List<RequirementOutcome> reqs = new ArrayList<>();
    for (TemplateRequirement r : T.requirements()) {
      Files.writeString(out.resolve("evidence/" + r.id() + ".txt"), "checked " + r.id());
      boolean gap = !allImplemented && r.id().equals("gang_scheduling");
      reqs.add(new RequirementOutcome(r, gap ? "Partially Implemented" : "Implemented", false, "n",
          List.of("evidence/" + r.id() + ".txt"), List.of()));
    }
    ProductYaml.write(out.resolve("PRODUCT.yaml"), T,
        withProduct ? Optional.of(ProductFile.load(Fixtures.copy(Fixtures.PRODUCT, dir.resolve("in"), "product.yaml"))) : Optional.empty(),
        Optional.empty(), reqs, List.of(), ProductYamlTest.CLOCK);
    return out;
  }

  @Test
  void theSubmissionIsLaidOutUnderTheVersionAndTheProductNameWithItsEvidence() throws Exception {
    Path out = report(true, true);
    Path root = dir.resolve("k8s-ai-conformance");
    List<String> asked = new ArrayList<>();
    SubmissionLayout.Result r = SubmissionLayout.layout(out, root, null, v -> {
      asked.add(v);
      return T;
    }, false);
    assertThat(asked).containsExactly("1.36");
    assertThat(r.dir()).isEqualTo(root.resolve("v1.36/cnai-test"));
    assertThat(r.violations()).isEmpty();
    try (Stream<Path> s = Files.walk(root)) {
      assertThat(s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList())
          .hasSize(15).contains("v1.36/cnai-test/PRODUCT.yaml", "v1.36/cnai-test/evidence/gang_scheduling.txt")
          .doesNotContain("v1.36/cnai-test/evidence/component-kueue.txt");
    }
    assertThat(root.resolve("v1.36/cnai-test/PRODUCT.yaml")).hasSameTextualContentAs(out.resolve("PRODUCT.yaml"));
    // the validator's path rule holds for the laid-out file
    assertThat(ProductValidator.validate(r.dir().resolve("PRODUCT.yaml"), T)).isEmpty();
    // --name wins
    assertThat(SubmissionLayout.layout(out, root, "cnai", v -> T, false).dir()).isEqualTo(root.resolve("v1.36/cnai"));
  }

  @Test
  void aReportThatBreaksTheRulesIsRefusedAndLeavesNothingBehindUnlessDraft() throws Exception {
    Path out = report(false, false);
    Path root = dir.resolve("sub");
    assertThatThrownBy(() -> SubmissionLayout.layout(out, root, "cnai", v -> T, false))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.problem()).contains("not submittable").contains("metadata.vendorName")
              .contains("(gang_scheduling).status");
          assertThat(e.hint()).contains("--draft");
        });
    assertThat(root.resolve("v1.36/cnai")).doesNotExist();
    SubmissionLayout.Result draft = SubmissionLayout.layout(out, root, "cnai", v -> T, true);
    assertThat(draft.violations()).isNotEmpty();
    assertThat(draft.dir().resolve("PRODUCT.yaml")).exists();
  }

  @Test
  void withoutAProductNameOrAReportItIsBadInput() throws Exception {
    Path out = report(false, true);
    assertThatThrownBy(() -> SubmissionLayout.layout(out, dir.resolve("sub"), null, v -> T, true))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.hint()).contains("--name"));
    assertThatThrownBy(() -> SubmissionLayout.layout(out, dir.resolve("sub"), "Not A Name/..", v -> T, true))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
    assertThatThrownBy(() -> SubmissionLayout.layout(dir.resolve("nothing"), dir.resolve("sub"), "cnai", v -> T, true))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.hint()).contains("--from"));
  }
}
