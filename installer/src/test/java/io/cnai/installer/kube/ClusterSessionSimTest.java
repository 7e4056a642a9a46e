package io.cnai.installer.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import org.junit.jupiter.api.Test;

/**
 * A closed session leaves no thread of its HTTP client behind: a JVM that exits while such a thread
 * still sits in a native call (an event loop's epoll) waits 300 ms for it, in every short command.
 */
@SimClusterTest
class ClusterSessionSimTest {
  private static long eventLoops() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("vert.x-eventloop-thread")).count();
  }

  @Test
  void closingASessionStopsItsEventLoops(Cluster cluster) {
    for (int i = 0; i < 3; i++) {
      long before = eventLoops();
      try (ClusterSession s = ClusterSession.open(cluster.access())) {
        // a few requests at once, so that several event loops run
        java.util.List<Thread> ts = new java.util.ArrayList<>();
        for (int k = 0; k < 4; k++) {
          Thread t = new Thread(() -> s.records(Records.Kind.CONFIG_MAP, "default").list(java.util.Map.of()));
          t.start();
          ts.add(t);
        }
        for (Thread t : ts) {
          t.join();
        }
        assertThat(eventLoops()).isGreaterThan(before);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(eventLoops()).as("event loops left running after close").isLessThanOrEqualTo(before);
    }
  }
}
