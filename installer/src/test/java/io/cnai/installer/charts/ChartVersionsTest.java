package io.cnai.installer.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChartVersionsTest {
  static final List<String> PUBLISHED = List.of(
      "0.1.0", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.0", "1.2.3", "1.2.10", "1.3.0-rc.1", "1.3.0", "1.10.0",
      "2.0.0-beta.2", "2.0.0", "v2.1.0", "18.8.12", "nightly");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1.2.3|1.2.3",
        "~1.2.0|1.2.10",
        "~1.2|1.2.10",
        "~1|1.10.0",
        "^1.2.3|1.10.0",
        "^0.2.3|0.2.9",
        "^0.2|0.2.9",
        "1.x|1.10.0",
        "1.2.x|1.2.10",
        "2.x.x|v2.1.0",
        "*|18.8.12",
        "'>=1.0.0 <1.3.0'|1.2.10",
        "'>=1.0.0, <1.3.0'|1.2.10",
        "'>= 1.0.0 < 1.3'|1.2.10",
        "'<=1.2'|1.2.10",
        "'>1.2.3 <2'|1.10.0",
        "'1.0.0 - 1.2'|1.2.10",
        "'<1.0.0 || >=2.0.0 <2.1.0'|2.0.0",
        "'!=18.8.12'|v2.1.0",
        "'>=1.3.0-0 <1.3.0'|1.3.0-rc.1",
        "~18.8.0|18.8.12",
        "nightly|nightly",
      })
  void newestMatchingPicksWhatHelmWouldPick(String constraint, String expected) {
    assertThat(ChartVersions.newestMatching(PUBLISHED, constraint)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({"~3.0.0", "'>=19'", "0.4.x"})
  void nothingMatches(String constraint) {
    assertThat(ChartVersions.newestMatching(PUBLISHED, constraint)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"2.0.0-beta.2|false", "1.3.0-rc.1|false"})
  void preReleasesOnlyForConstraintsThatAskForThem(String version, boolean matches) {
    assertThat(ChartVersions.matches(version, ">=1.0.0")).isEqualTo(matches);
    assertThat(ChartVersions.matches(version, ">=1.0.0-0")).isTrue();
  }

  @org.junit.jupiter.api.Test
  void newestFirstOrdersBySemVer() {
    assertThat(ChartVersions.newestFirst(List.of("1.2.10", "nightly", "1.2.9", "1.3.0-rc.1", "1.3.0-rc.10", "1.3.0-alpha", "v1.3.0")))
        .containsExactly("v1.3.0", "1.3.0-rc.10", "1.3.0-rc.1", "1.3.0-alpha", "1.2.10", "1.2.9", "nightly");
  }

  @org.junit.jupiter.api.Test
  void garbageConstraintIsBadInput() {
    assertThatThrownBy(() -> ChartVersions.matches("1.0.0", ">=banana"))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.problem()).contains("'>=banana' is not a version constraint");
        });
  }
}
