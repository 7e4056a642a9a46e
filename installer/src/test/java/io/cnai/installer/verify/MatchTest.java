package io.cnai.installer.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import org.junit.jupiter.api.Test;

class MatchTest {
  @Test
  void exactIsExact() {
    assertThat(Match.exact("a@b.c").test("a@b.c")).isTrue();
    assertThat(Match.exact("a@b.c").test("xa@b.c")).isFalse();
    assertThat(Match.exact("a@b.c").test(null)).isFalse();
  }

  @Test
  void regexMustCoverTheWholeValue() {
    Match m = Match.regex("https://github\\.com/org/.*");
    assertThat(m.test("https://github.com/org/repo")).isTrue();
    assertThat(m.test("https://evil.example/?https://github.com/org/repo")).isFalse();
  }

  @Test
  void invalidOrEmptyValuesAreBadInput() {
    assertThatThrownBy(() -> Match.regex("(["))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
    assertThatThrownBy(() -> Match.exact(" "))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
  }
}
