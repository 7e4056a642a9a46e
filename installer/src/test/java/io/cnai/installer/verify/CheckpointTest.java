package io.cnai.installer.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  static final String ROOT = Base64.getEncoder().encodeToString(new byte[32]);
  static final String SIG = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 9, 9, 9});
  static final String WITNESS = Base64.getEncoder().encodeToString(new byte[] {7, 7, 7, 7, 8, 8});

  @Test
  void readsBodyAndEverySignatureLine() {
    Checkpoint c = Checkpoint.parse("log.example\n42\n" + ROOT + "\n\n\u2014 witness " + WITNESS + "\n\u2014 log.example " + SIG + "\n");
    assertThat(c.origin()).isEqualTo("log.example");
    assertThat(c.size()).isEqualTo(42);
    assertThat(c.signedText()).isEqualTo("log.example\n42\n" + ROOT + "\n");
    assertThat(c.signatures()).hasSize(2);
    assertThat(c.signatures().get(1).keyHint()).containsExactly(1, 2, 3, 4);
    assertThat(c.signatures().get(1).signature()).containsExactly(9, 9, 9);
  }

  @Test
  void keepsExtensionLinesInTheSignedText() {
    Checkpoint c = Checkpoint.parse("o\n1\n" + ROOT + "\nTimestamp: 5\n\n\u2014 o " + SIG + "\n");
    assertThat(c.signedText()).endsWith("Timestamp: 5\n");
  }

  @Test
  void refusesMissingOriginMissingSignaturesAndJunk() {
    assertThatThrownBy(() -> Checkpoint.parse("42\n" + ROOT + "\n\n\u2014 o " + SIG + "\n"))
        .hasMessageContaining("origin");
    assertThatThrownBy(() -> Checkpoint.parse("o\n42\n" + ROOT + "\n\n"))
        .hasMessageContaining("no signature");
    assertThatThrownBy(() -> Checkpoint.parse("o\n42\n" + ROOT + "\n\u2014 o " + SIG + "\n"))
        .hasMessageContaining("blank line");
    assertThatThrownBy(() -> Checkpoint.parse("o\n42\n" + ROOT + "\n\n- o " + SIG + "\n"))
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> Checkpoint.parse("o\n42\nAAAA\n\n\u2014 o " + SIG + "\n"))
        .hasMessageContaining("32 bytes");
  }
}
