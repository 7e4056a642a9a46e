package io.cnai.installer.bench;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.sim.SimProvider;
import io.cnai.installer.testing.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Not a test: one sim cluster, a stack of N charts ({@link TestStack#wide}: w01, then N-1 charts
 * that depend on it; 2 CRDs and 9 objects each), and the same work done by three tools in one run:
 * cnai (its launcher, a fresh JVM per command), the Helm CLI one chart after another
 * ({@code helm upgrade --install --wait}) and helmfile ({@code needs} on w01, default concurrency,
 * {@code wait}), both built from their Go modules. Measured per round: install, a no-op upgrade
 * (the same release again), status, and cnai's peak RSS. Usage: {@code WideBench [rounds] [charts]};
 * needs {@code installer/tools/build-helm.sh} and {@code build-helmfile.sh} run first.
 */
public final class WideBench {
  private static final Path TOOLS = Path.of(System.getProperty("user.home"), ".cache/cnai/tools");
  private static final String HELM = TOOLS.resolve("helm/v3.21.0/helm").toString();
  private static final String HELMFILE = TOOLS.resolve("helmfile/v1.8.0/helmfile").toString();
  private static final String KUBECTL = TOOLS.resolve("kubectl/v1.37.2/kubectl").toString();
  private static final String[] WHAT = {"install", "no-op upgrade (first after install)", "status", "no-op upgrade (again)"};

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int charts = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    boolean cnaiOnly = Boolean.getBoolean("bench.cnaiOnly"); // for iterating on cnai alone: no ratios
    for (String tool : cnaiOnly ? List.of(KUBECTL) : List.of(HELM, HELMFILE, KUBECTL)) {
      if (!Files.isExecutable(Path.of(tool))) {
        System.err.println(tool + " is missing: run installer/tools/build-helm.sh, build-helmfile.sh and build-sim.sh");
        System.exit(2);
      }
    }
    SimProvider sim = SimProvider.fromEnvironment();
    String name = "wide-" + ProcessHandle.current().pid();
    Path tmp = Files.createTempDirectory("cnai-wide");
    Cluster c = sim.create(ClusterRequest.of(name, NodeTopology.defaults()));
    String kc = c.kubeconfig().toString();
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kc);
    env.put("HELM_CONFIG_HOME", tmp.resolve("helm/config").toString());
    env.put("HELM_CACHE_HOME", tmp.resolve("helm/cache").toString());
    env.put("HELM_DATA_HOME", tmp.resolve("helm/data").toString());
    List<long[]> cnai = new ArrayList<>();
    List<long[]> helm = new ArrayList<>();
    List<long[]> helmfile = new ArrayList<>();
    long rssMax = 0;
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      for (int i = 0; i < rounds; i++) {
        TestStack s = TestStack.wide(repo, tmp.resolve("c" + i), "wc" + i, charts);
        long[] rss = new long[1];
        long[] t = new long[4];
        long rssRound = 0;
        t[0] = LifecycleBench.cnai(LifecycleBench.concat("install", s.signed("v1", "--kubeconfig", kc)), rss);
        rssRound = Math.max(rssRound, rss[0]);
        t[1] = LifecycleBench.cnai(LifecycleBench.concat("upgrade", s.signed("v1", "--kubeconfig", kc)), rss);
        rssRound = Math.max(rssRound, rss[0]);
        t[2] = LifecycleBench.cnai(new String[] {"status", "--kubeconfig", kc}, rss);
        rssRound = Math.max(rssRound, rss[0]);
        t[3] = LifecycleBench.cnai(LifecycleBench.concat("upgrade", s.signed("v1", "--kubeconfig", kc)), rss);
        rssRound = Math.max(rssRound, rss[0]);
        // round 0 records the class-data sharing archive (once per build), which takes more memory
        rssMax = i == 0 && rounds > 1 ? rssMax : Math.max(rssMax, rssRound);
        LifecycleBench.cnai(new String[] {"uninstall", "--kubeconfig", kc, "--delete-crds"}, rss);
        cnai.add(t);
        if (cnaiOnly) {
          System.out.printf("round %d (%d charts): cnai install %d ms, no-op upgrade %d ms, status %d ms, no-op upgrade again %d ms; peak RSS %d MiB%n",
              i, charts, t[0] / 1_000_000, t[1] / 1_000_000, t[2] / 1_000_000, t[3] / 1_000_000, rssRound / 1024);
          continue;
        }

        String url = repo.url();
        String hp = "wh" + i;
        long[] h = new long[4];
        for (int k = 0; k < 2; k++) {
          long t0 = System.nanoTime();
          for (int n = 1; n <= charts; n++) {
            String ch = "w%02d".formatted(n);
            LifecycleBench.run(env, HELM, "upgrade", "--install", ch, ch, "--repo", url, "--version", "1.0.0", "-n", hp + "-" + ch,
                "--create-namespace", "--wait", "--kubeconfig", kc);
          }
          h[k] = System.nanoTime() - t0;
        }
        long t0 = System.nanoTime();
        for (int n = 1; n <= charts; n++) {
          String ch = "w%02d".formatted(n);
          LifecycleBench.run(env, HELM, "status", ch, "-n", hp + "-" + ch, "--kubeconfig", kc);
        }
        h[2] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        for (int n = 1; n <= charts; n++) {
          String ch = "w%02d".formatted(n);
          LifecycleBench.run(env, HELM, "upgrade", "--install", ch, ch, "--repo", url, "--version", "1.0.0", "-n", hp + "-" + ch,
              "--create-namespace", "--wait", "--kubeconfig", kc);
        }
        h[3] = System.nanoTime() - t0;
        for (int n = 1; n <= charts; n++) {
          String ch = "w%02d".formatted(n);
          LifecycleBench.run(env, HELM, "uninstall", ch, "-n", hp + "-" + ch, "--wait", "--kubeconfig", kc);
        }
        deleteCrds(env, kc, charts);
        helm.add(h);

        Path hf = tmp.resolve("helmfile-" + i + ".yaml");
        StringBuilder y = new StringBuilder("repositories:\n  - name: wide\n    url: " + url + "\nhelmDefaults:\n  wait: true\n  createNamespace: true\nreleases:\n");
        String fp = "wf" + i;
        for (int n = 1; n <= charts; n++) {
          String ch = "w%02d".formatted(n);
          y.append("  - name: ").append(ch).append("\n    namespace: ").append(fp).append('-').append(ch)
              .append("\n    chart: wide/").append(ch).append("\n    version: 1.0.0\n");
          if (n > 1) {
            y.append("    needs: [").append(fp).append("-w01/w01]\n");
          }
        }
        Files.writeString(hf, y.toString());
        long[] f = new long[4];
        for (int k = 0; k < 2; k++) {
          t0 = System.nanoTime();
          LifecycleBench.run(env, HELMFILE, "--helm-binary", HELM, "-f", hf.toString(), "sync");
          f[k] = System.nanoTime() - t0;
        }
        t0 = System.nanoTime();
        LifecycleBench.run(env, HELMFILE, "--helm-binary", HELM, "-f", hf.toString(), "status");
        f[2] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        LifecycleBench.run(env, HELMFILE, "--helm-binary", HELM, "-f", hf.toString(), "sync");
        f[3] = System.nanoTime() - t0;
        LifecycleBench.run(env, HELMFILE, "--helm-binary", HELM, "-f", hf.toString(), "destroy");
        deleteCrds(env, kc, charts);
        helmfile.add(f);
        System.out.printf("round %d (%d charts): %s cnai peak RSS %d MiB%n", i, charts, row(t, h, f), rssRound / 1024);
      }
    } finally {
      sim.delete(name);
    }
    if (cnaiOnly) {
      return;
    }
    long[] mc = medians(cnai), mh = medians(helm), mf = medians(helmfile);
    System.out.printf("median of %d rounds, %d charts: %s; cnai peak RSS max %d MiB (rounds after the first)%n", rounds, charts, row(mc, mh, mf), rssMax / 1024);
    System.out.println("| | cnai | Helm CLI | helmfile | cnai / Helm | cnai / helmfile |");
    System.out.println("|---|---|---|---|---|---|");
    for (int k = 0; k < 4; k++) {
      System.out.printf("| %s | %.1f s | %.1f s | %.1f s | **%.2f** | **%.2f** |%n", WHAT[k], mc[k] / 1e9, mh[k] / 1e9, mf[k] / 1e9,
          (double) mc[k] / mh[k], (double) mc[k] / mf[k]);
    }
  }

  private static void deleteCrds(Map<String, String> env, String kc, int charts) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(KUBECTL, "--kubeconfig", kc, "delete", "crd", "--ignore-not-found"));
    for (int n = 1; n <= charts; n++) {
      cmd.add("widgets.w%02d.cnai.test".formatted(n));
      cmd.add("gadgets.w%02d.cnai.test".formatted(n));
    }
    LifecycleBench.run(env, cmd.toArray(String[]::new));
  }

  private static String row(long[] c, long[] h, long[] f) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < 4; k++) {
      b.append(String.format("%s cnai %d ms, helm %d ms, helmfile %d ms; ", WHAT[k], c[k] / 1_000_000, h[k] / 1_000_000, f[k] / 1_000_000));
    }
    return b.toString();
  }

  private static long[] medians(List<long[]> rows) {
    long[] out = new long[4];
    for (int k = 0; k < 4; k++) {
      final int kk = k;
      long[] v = rows.stream().mapToLong(r -> r[kk]).sorted().toArray();
      out[k] = v[v.length / 2];
    }
    return out;
  }
}
