package io.cnai.installer.bench;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.sim.SimProvider;
import io.cnai.installer.testing.TestStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Not a test: measures, on one sim cluster, the wall time of installing and upgrading the fixture
 * stack (v1 -> v2 of {@link TestStack}) with cnai (its CLI as a fresh JVM, as a user runs it)
 * and with the Helm CLI one chart after another ({@code helm upgrade --install --wait}, plus
 * {@code kubectl apply --server-side} for the manifest component), and cnai's peak RSS
 * ({@code /usr/bin/time -f %M}). Usage: {@code LifecycleBench [rounds]}.
 */
public final class LifecycleBench {
  private static final Path TOOLS = Path.of(System.getProperty("user.home"), ".cache/cnai/tools");
  private static final String HELM = TOOLS.resolve("helm/v3.21.0/helm").toString();
  private static final String KUBECTL = TOOLS.resolve("kubectl/v1.37.2/kubectl").toString();

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    SimProvider sim = SimProvider.fromEnvironment();
    String name = "bench-" + ProcessHandle.current().pid();
    Path tmp = Files.createTempDirectory("cnai-bench");
    Cluster c = sim.create(ClusterRequest.of(name, NodeTopology.defaults()));
    String kc = c.kubeconfig().toString();
    List<long[]> cnai = new ArrayList<>();
    List<long[]> helm = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      for (int i = 0; i < rounds; i++) {
        TestStack s = TestStack.lifecycle(repo, tmp.resolve("c" + i), "bench" + i);
        long[] rssOut = new long[1];
        long install = cnai(concat("install", s.signed("v1", "--kubeconfig", kc)), rssOut);
        long r1 = rssOut[0];
        long upgrade = cnai(concat("upgrade", s.signed("v2", "--kubeconfig", kc)), rssOut);
        rss.add(Math.max(r1, rssOut[0]));
        cnai(new String[] {"uninstall", "--kubeconfig", kc, "--delete-crds"}, rssOut);
        cnai.add(new long[] {install, upgrade});

        String p = "helm" + i;
        long t0 = System.nanoTime();
        String url = repo.url();
        run(HELM, "upgrade", "--install", "certs", "certs", "--repo", url, "--version", "1.4.0", "-n", p + "-certs", "--create-namespace", "--wait", "--kubeconfig", kc);
        run(KUBECTL, "--kubeconfig", kc, "create", "namespace", p + "-store");
        run(KUBECTL, "--kubeconfig", kc, "apply", "--server-side", "-n", p + "-store", "-f", manifest(s, p));
        run(KUBECTL, "--kubeconfig", kc, "rollout", "status", "-n", p + "-store", "deployment/store-operator");
        run(HELM, "upgrade", "--install", "queues", "queues", "--repo", url, "--version", "0.9.2", "-n", p + "-queues", "--create-namespace", "--wait", "--kubeconfig", kc);
        run(HELM, "upgrade", "--install", "hooks", "hooks", "--repo", url, "--version", "2.0.0", "-n", p + "-hooks", "--create-namespace", "--wait", "--kubeconfig", kc);
        long hInstall = System.nanoTime() - t0;
        t0 = System.nanoTime();
        run(HELM, "upgrade", "--install", "certs", "certs", "--repo", url, "--version", "1.5.0", "-n", p + "-certs", "--wait", "--kubeconfig", kc);
        run(KUBECTL, "--kubeconfig", kc, "apply", "--server-side", "-n", p + "-store", "-f", manifest(s, p));
        run(HELM, "upgrade", "--install", "queues", "queues", "--repo", url, "--version", "0.9.2", "-n", p + "-queues", "--wait", "--kubeconfig", kc);
        run(HELM, "upgrade", "--install", "greedy", "greedy", "--repo", url, "--version", "0.1.0", "-n", p + "-greedy", "--create-namespace", "--wait", "--kubeconfig", kc);
        run(HELM, "uninstall", "hooks", "-n", p + "-hooks", "--wait", "--kubeconfig", kc);
        long hUpgrade = System.nanoTime() - t0;
        helm.add(new long[] {hInstall, hUpgrade});
        for (String rel : List.of("certs", "queues", "greedy")) {
          run(HELM, "uninstall", rel, "-n", p + "-" + rel, "--wait", "--kubeconfig", kc);
        }
        run(KUBECTL, "--kubeconfig", kc, "delete", "crd", "-l", "app.kubernetes.io/managed-by!=nothing", "--ignore-not-found");
        System.out.printf("round %d: cnai install %d ms, upgrade %d ms (peak RSS %d MiB); helm install %d ms, upgrade %d ms%n",
            i, install / 1_000_000, upgrade / 1_000_000, rss.get(i) / 1024, hInstall / 1_000_000, hUpgrade / 1_000_000);
      }
    } finally {
      sim.delete(name);
    }
    System.out.printf("median of %d: cnai install %d ms, upgrade %d ms; helm CLI install %d ms, upgrade %d ms; cnai peak RSS max %d MiB%n",
        rounds, median(cnai, 0), median(cnai, 1), median(helm, 0), median(helm, 1), rss.stream().mapToLong(x -> x).max().orElse(0) / 1024);
  }

  /** The v1 manifest in the Helm run's namespace. */
  private static String manifest(TestStack s, String prefix) throws IOException {
    Path src = s.dir.resolve("operator.yaml");
    Path out = src.resolveSibling("operator-" + prefix + ".yaml");
    Files.writeString(out, Files.readString(src).replace(s.namespace("store-operator"), prefix + "-store"));
    return out.toString();
  }

  private static long median(List<long[]> l, int i) {
    long[] v = l.stream().mapToLong(x -> x[i]).sorted().toArray();
    return v[v.length / 2] / 1_000_000;
  }

  /** Runs cnai's CLI in a fresh JVM under /usr/bin/time; returns nanoseconds and puts the peak RSS (KiB) in rss[0]. */
  static long cnai(String[] args, long[] rss) throws Exception {
    Path timeOut = Files.createTempFile("cnai-time", ".txt");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", timeOut.toString()));
    // e.g. -Dbench.jvm.upgrade=-XX:StartFlightRecording=filename=/tmp/upgrade.jfr to profile one verb
    String extra = System.getProperty("bench.jvm." + args[0], System.getenv().getOrDefault("BENCH_CNAI_JAVA_OPTS", ""));
    Map<String, String> env = new java.util.HashMap<>();
    Path launcher = Path.of(System.getProperty("cnai.root", "."), "cnai");
    if (Files.isExecutable(launcher) && !Boolean.getBoolean("bench.classpath")) {
      // as a user runs it: the launcher, with its JVM options (the built jar must be current)
      cmd.add(launcher.toString());
      if (!extra.isBlank()) {
        env.put("CNAI_JAVA_OPTS", extra.trim());
      }
    } else {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      if (!extra.isBlank()) {
        cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.cnai.installer.cli.Main"));
    }
    cmd.addAll(Arrays.asList(args));
    if (Boolean.getBoolean("bench.verbose")) {
      System.out.println(java.time.Instant.now() + " start: cnai " + String.join(" ", Arrays.asList(args).subList(0, Math.min(1, args.length))));
    }
    long t0 = System.nanoTime();
    run(env, cmd.toArray(String[]::new));
    long t = System.nanoTime() - t0;
    if (Boolean.getBoolean("bench.verbose")) {
      System.out.println(java.time.Instant.now() + " end after " + t / 1_000_000 + " ms");
    }
    rss[0] = Long.parseLong(Files.readString(timeOut, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("0"));
    return t;
  }

  static void run(String... cmd) throws Exception {
    run(Map.of(), cmd);
  }

  static void run(Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
    if (Boolean.getBoolean("bench.verbose")) {
      System.out.println(out);
    }
  }

  static String[] concat(String verb, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = verb;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
