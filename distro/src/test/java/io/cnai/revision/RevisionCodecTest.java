package io.cnai.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevisionCodecTest {
  @Test
  void roundTrips() {
    StackRevision r = new StackRevision(3, StackRevision.Action.UPGRADE, StackRevision.Status.DEPLOYED, "cnai", "2026.11", "kind",
        "sha256:" + "a".repeat(64), "sha256:" + "b".repeat(64), Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:05:00Z"),
        List.of("mlflow"), "ok",
        List.of(new StackRevision.ComponentRevision("kueue", "kueue-system", "helm", "kueue", "0.19.2", "sha256:" + "c".repeat(64), "sha256:" + "d".repeat(64), "kueue", 2, "deployed")));
    String json = RevisionCodec.toJson(r);
    assertThat(json).contains("\"startedAt\":\"2026-11-28T10:00:00Z\"").contains("\"status\":\"DEPLOYED\"");
    assertThat(RevisionCodec.fromJson(json, "v3")).isEqualTo(r);
    assertThat(StackRevision.secretName(3)).isEqualTo("cnai.stack.v3");
  }

  @Test
  void refusesGarbage() {
    assertThatThrownBy(() -> RevisionCodec.fromJson("{\"revision\": 1, \"surprise\": true}", "v1"))
        .isInstanceOf(CnaiException.class)
        .hasMessageContaining("stack revision v1 cannot be read");
  }
}
