package io.cnai.installer.bench;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.sim.SimProvider;
import io.cnai.installer.testing.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: for profiling one cnai command by hand. Creates a sim cluster (named by the first
 * argument, default {@code wide-serve}) and {@link TestStack#wide} of N charts (second argument,
 * default 15) served by a local chart repository, writes the arguments of {@code cnai install} /
 * {@code upgrade} (one a line) to {@code <tmp>/args} and the kubeconfig path to {@code <tmp>/kubeconfig},
 * prints the folder, then serves until stdin closes; then deletes the cluster.
 */
public final class WideStackServe {
  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "wide-serve";
    int charts = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    SimProvider sim = SimProvider.fromEnvironment();
    Path tmp = Files.createTempDirectory("cnai-wide-serve");
    Cluster c = sim.create(ClusterRequest.of(name, NodeTopology.defaults()));
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.wide(repo, tmp.resolve("c"), "ws", charts);
      Files.writeString(tmp.resolve("args"), String.join("\n", s.signed("v1", "--kubeconfig", c.kubeconfig().toString())) + "\n");
      Files.writeString(tmp.resolve("kubeconfig"), c.kubeconfig().toString());
      System.out.println("ready " + tmp);
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until stdin closes
      }
    } finally {
      sim.delete(name);
    }
  }
}
