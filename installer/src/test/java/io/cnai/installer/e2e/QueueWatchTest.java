package io.cnai.installer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.kube.Workloads.GangState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules queued-training holds Kueue's admission to, over sequences of looks at two jobs. */
class QueueWatchTest {
  private static final GangState HELD = new GangState(true, 0, null, null);
  private static final GangState RUNNING = new GangState(false, 2, null, null);
  private static final GangState DONE = new GangState(false, 2, true, null);

  private final List<String> events = new ArrayList<>();

  private String look(QueueWatch w, double now, GangState a, GangState b) {
    Map<String, GangState> m = new LinkedHashMap<>();
    m.put("a", a);
    m.put("b", b);
    return w.observe(now, m, events::add);
  }

  @Test
  void oneAtATimeAndHeldWholeIsRight() {
    QueueWatch w = new QueueWatch(List.of("a", "b"));
    assertThat(look(w, 0, HELD, HELD)).isNull();
    assertThat(look(w, 1, RUNNING, HELD)).isNull();
    assertThat(look(w, 12, DONE, HELD)).isNull();
    assertThat(w.done()).isFalse();
    assertThat(look(w, 13, DONE, RUNNING)).isNull();
    assertThat(look(w, 24, DONE, DONE)).isNull();
    assertThat(w.done()).isTrue();
    assertThat(w.verdict()).isNull();
    assertThat(w.admittedAt("b")).isEqualTo(13);
    assertThat(w.endedAt("a")).isEqualTo(12);
    assertThat(events).containsExactly("a admitted by Kueue after 1.0 s", "a done after 12.0 s", "b admitted by Kueue after 13.0 s",
        "b done after 24.0 s");
  }

  @Test
  void bothRunningAtOnceFails() {
    QueueWatch w = new QueueWatch(List.of("a", "b"));
    assertThat(look(w, 0, HELD, HELD)).isNull();
    assertThat(look(w, 1, RUNNING, RUNNING)).contains("more than one job at once");
  }

  @Test
  void aHeldJobWithPodsIsNotAllOrNothing() {
    QueueWatch w = new QueueWatch(List.of("a", "b"));
    assertThat(look(w, 1, RUNNING, new GangState(true, 1, null, null))).isEqualTo("b has 1 pod(s) while Kueue holds it: not all-or-nothing");
  }

  @Test
  void neverSeenHoldingOneWholeFailsAtTheEnd() {
    // b was never seen held while a ran (e.g. both ran one after the other faster than the looks)
    QueueWatch w = new QueueWatch(List.of("a", "b"));
    assertThat(look(w, 0, DONE, HELD)).isNull();
    assertThat(look(w, 1, DONE, DONE)).isNull();
    assertThat(w.done()).isTrue();
    assertThat(w.verdict()).contains("never seen holding one job whole");
  }

  @Test
  void aFailedJobEndsAndIsSaid() {
    QueueWatch w = new QueueWatch(List.of("a", "b"));
    assertThat(look(w, 1, RUNNING, HELD)).isNull();
    assertThat(look(w, 5, new GangState(false, 2, false, "BackoffLimitExceeded"), RUNNING)).isNull();
    assertThat(events).contains("a FAILED after 5.0 s");
    assertThat(w.anyAdmitted()).isTrue();
  }
}
