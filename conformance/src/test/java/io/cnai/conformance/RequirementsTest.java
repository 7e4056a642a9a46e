package io.cnai.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequirementsTest {
  @Test
  void theSuitesLevelTagsPerChecklistVersion() {
    assertThat(musts("1.33")).isEqualTo(8);
    assertThat(musts("1.34")).isEqualTo(9);
    assertThat(musts("1.35")).isEqualTo(9);
    assertThat(musts("1.36")).isEqualTo(8);
    assertThat(Requirements.checklist("1.36")).extracting(Requirement::id).doesNotContain("dra_support");
  }

  private static long musts(String v) {
    return Requirements.checklist(v).stream().filter(r -> r.level(v).orElseThrow() == Requirement.Level.MUST).count();
  }
}
