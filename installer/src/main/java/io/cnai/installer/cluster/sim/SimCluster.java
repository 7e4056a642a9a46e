package io.cnai.installer.cluster.sim;

import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterSummary;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * A sim cluster on this machine: its files and its processes. Besides the {@link Cluster} handle it
 * lets tests stop and start single parts (the API server, say) and read their logs.
 */
public final class SimCluster {
  private final Cluster cluster;
  private final SimLayout layout;
  private final SimProcesses processes;

  SimCluster(Cluster cluster, SimLayout layout, SimProcesses processes) {
    this.cluster = cluster;
    this.layout = layout;
    this.processes = processes;
  }

  public Cluster cluster() {
    return cluster;
  }

  public String name() {
    return cluster.name();
  }

  public SimLayout layout() {
    return layout;
  }

  /** Stops one part (SIGTERM, then SIGKILL after a grace period). */
  public void stop(SimComponent c) {
    processes.stop(c);
  }

  /** Kills one part with SIGKILL, as a crash would (for tests of what notices crashes). */
  public void kill(SimComponent c) {
    processes.kill(c);
  }

  /** Starts one part again with the command line it had, and waits until it is healthy. */
  public void start(SimComponent c, Duration timeout) {
    processes.start(c, timeout);
  }

  public boolean running(SimComponent c) {
    return processes.running(c).isPresent();
  }

  /** Which parts run. */
  public Map<SimComponent, Boolean> health() {
    // The parts this cluster has (a local cluster has no kwok); all of them if none is recorded.
    Map<SimComponent, Boolean> out = new EnumMap<>(SimComponent.class);
    for (SimComponent c : SimComponent.values()) {
      if (java.nio.file.Files.exists(layout.args(c))) {
        out.put(c, running(c));
      }
    }
    if (out.isEmpty()) {
      for (SimComponent c : SimComponent.values()) {
        out.put(c, false);
      }
    }
    return out;
  }

  ClusterSummary.State state() {
    Map<SimComponent, Boolean> parts = health();
    long up = parts.values().stream().filter(b -> b).count();
    if (up == 0) {
      return ClusterSummary.State.STOPPED;
    }
    return up == parts.size() ? ClusterSummary.State.RUNNING : ClusterSummary.State.DEGRADED;
  }

  /** The last lines of a part's log. */
  public String logTail(SimComponent c, int lines) {
    return processes.tail(c, lines);
  }

  /** Resident memory of each running part in bytes (Linux /proc), for reports and benchmarks. */
  public Map<SimComponent, Long> residentBytes() {
    Map<SimComponent, Long> out = new EnumMap<>(SimComponent.class);
    for (SimComponent c : SimComponent.values()) {
      processes.running(c).ifPresent(h -> out.put(c, rss(h.pid())));
    }
    return out;
  }

  static long rss(long pid) {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // not on Linux, or gone
    }
    return -1;
  }
}
