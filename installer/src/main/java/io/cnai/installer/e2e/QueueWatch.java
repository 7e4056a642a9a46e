package io.cnai.installer.e2e;

import io.cnai.installer.kube.Workloads.GangState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What queued-training checks of Kueue's admission, from successive looks at its jobs (each a gang of
 * workers whose ClusterQueue's quota fits one at a time): a job Kueue holds has no pod at all; never
 * do two run at once; and one is seen held whole while another runs. A pure record of observations,
 * so that each rule is tested without a cluster ({@code QueueWatchTest}).
 */
final class QueueWatch {
  private final List<String> jobs;
  private final Map<String, Double> admitted = new LinkedHashMap<>();
  private final Map<String, Double> ended = new LinkedHashMap<>();
  private final Map<String, GangState> last = new LinkedHashMap<>();
  private boolean heldWhole;

  QueueWatch(List<String> jobs) {
    this.jobs = List.copyOf(jobs);
  }

  /**
   * One look at every job, {@code now} seconds after they were made; says admissions and ends to
   * {@code events}. Returns what is wrong (the run fails at once), or null.
   */
  String observe(double now, Map<String, GangState> states, Consumer<String> events) {
    int running = 0;
    for (String j : jobs) {
      GangState s = states.get(j);
      last.put(j, s);
      if (s.suspended() && s.pods() > 0 && !admitted.containsKey(j) && !ended.containsKey(j)) {
        return j + " has " + s.pods() + " pod(s) while Kueue holds it: not all-or-nothing";
      }
      if (!s.suspended() && !admitted.containsKey(j)) {
        admitted.put(j, now);
        events.accept(String.format(Locale.ROOT, "%s admitted by Kueue after %.1f s", j, now));
      }
      if (s.succeeded() != null && !ended.containsKey(j)) {
        ended.put(j, now);
        events.accept(String.format(Locale.ROOT, "%s %s after %.1f s", j, s.succeeded() ? "done" : "FAILED", now));
      }
      if (admitted.containsKey(j) && !ended.containsKey(j)) {
        running++;
      }
    }
    if (running > 1) {
      return "Kueue admitted more than one job at once, but its ClusterQueue's quota fits one";
    }
    if (running == 1 && jobs.stream().anyMatch(j -> !admitted.containsKey(j) && last.get(j).suspended() && last.get(j).pods() == 0)) {
      heldWhole = true;
    }
    return null;
  }

  boolean done() {
    return ended.size() == jobs.size();
  }

  boolean anyAdmitted() {
    return !admitted.isEmpty();
  }

  /** Once every job has ended: what the run must still have shown, or null. */
  String verdict() {
    return heldWhole ? null : "Kueue was never seen holding one job whole (suspended, no pod) while another ran";
  }

  double admittedAt(String job) {
    return admitted.getOrDefault(job, 0.0);
  }

  double endedAt(String job) {
    return ended.getOrDefault(job, 0.0);
  }

  GangState last(String job) {
    return last.get(job);
  }

  Map<String, GangState> last() {
    return Map.copyOf(last);
  }
}
