package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.kube.ClusterSession;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm releases of one wave are installed, upgraded and uninstalled at the same time in one JVM
 * (ADR 0307): every call into helm-java builds its own action configuration, so no process-wide
 * lock is needed. Eight releases, each with its own values, go through three rounds at once; each
 * ends with exactly its own values and revisions, and the calls really overlap in time (with a
 * lock around the native calls they would not, and this test fails).
 */
@SimClusterTest
class ConcurrentHelmSimTest {
  private static final int RELEASES = 8;
  @TempDir Path tmp;

  private record Span(long start, long end) {}

  private static Path chart(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: parallel\nversion: 0.1.0\n");
    Files.writeString(dir.resolve("values.yaml"), "colour: none\nreplicas: 1\n");
    Files.writeString(dir.resolve("templates/configmap.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ .Release.Name }}-settings}
        data:
          colour: {{ .Values.colour | quote }}
          release: {{ .Release.Name | quote }}
        """);
    Files.writeString(dir.resolve("templates/deployment.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{ .Release.Name }}-worker}
        spec:
          replicas: {{ .Values.replicas }}
          selector: {matchLabels: {app: {{ .Release.Name }}}}
          template:
            metadata: {labels: {app: {{ .Release.Name }}}}
            spec: {containers: [{name: w, image: registry.cnai.test/worker:1}]}
        """);
    return dir;
  }

  private static <T> List<T> atOnce(List<Callable<T>> calls, List<Span> spans) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    try {
      List<Future<T>> fs = new ArrayList<>();
      for (Callable<T> c : calls) {
        fs.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          try {
            return c.call();
          } finally {
            synchronized (spans) {
              spans.add(new Span(t0, System.nanoTime()));
            }
          }
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : fs) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whether some two calls ran at the same time. */
  private static boolean overlapped(List<Span> spans) {
    for (int i = 0; i < spans.size(); i++) {
      for (int j = i + 1; j < spans.size(); j++) {
        if (spans.get(i).start() < spans.get(j).end() && spans.get(j).start() < spans.get(i).end()) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void releasesOfAWaveGoThroughHelmAtTheSameTime(SimCluster cluster, KubernetesClient client) throws Exception {
    Path chart = chart(tmp.resolve("parallel"));
    String prefix = "par" + Long.toString(System.nanoTime() % 100000, 36);
    List<String> ns = new ArrayList<>();
    for (int i = 0; i < RELEASES; i++) {
      ns.add(prefix + "-" + i);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns.get(i)).endMetadata().build()).create();
    }
    try (ClusterSession session = ClusterSession.open(ClusterAccess.of(cluster.cluster().kubeconfig(), null));
        HelmReleases helm = new HelmReleases(session)) {
      for (int round = 1; round <= 2; round++) {
        List<Span> spans = new ArrayList<>();
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < RELEASES; i++) {
          String n = ns.get(i);
          Map<String, Object> values = Map.of("colour", "colour-" + i + "-round-" + round, "replicas", round);
          calls.add(() -> helm.upgradeInstall("rel", n, chart, values, Duration.ofSeconds(120)));
        }
        List<Integer> revisions = atOnce(calls, spans);
        assertThat(revisions).as("round %d", round).containsOnly(round);
        assertThat(overlapped(spans)).as("helm upgrade --install calls overlapped in round %d: %s", round, spans).isTrue();
        for (int i = 0; i < RELEASES; i++) {
          var cm = client.configMaps().inNamespace(ns.get(i)).withName("rel-settings").get();
          assertThat(cm.getData()).containsEntry("colour", "colour-" + i + "-round-" + round).containsEntry("release", "rel");
          assertThat(helm.current("rel", ns.get(i))).isEqualTo(new HelmReleases.Record("rel", ns.get(i), round, "deployed"));
          assertThat(helm.stored("rel", ns.get(i), round).values()).containsEntry("colour", "colour-" + i + "-round-" + round);
          assertThat(client.apps().deployments().inNamespace(ns.get(i)).withName("rel-worker").get().getSpec().getReplicas()).isEqualTo(round);
        }
      }
      List<Span> spans = new ArrayList<>();
      List<Callable<Boolean>> uninstalls = new ArrayList<>();
      for (String n : ns) {
        uninstalls.add(() -> {
          helm.uninstall("rel", n, Duration.ofSeconds(120));
          return true;
        });
      }
      atOnce(uninstalls, spans);
      for (String n : ns) {
        assertThat(helm.records("rel", n)).isEmpty();
        assertThat(client.configMaps().inNamespace(n).withName("rel-settings").get()).isNull();
      }
    } finally {
      ns.forEach(n -> client.namespaces().withName(n).delete());
    }
  }
}
