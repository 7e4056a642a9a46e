package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.ChartCache;
import io.cnai.installer.charts.ChartRepositories;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.sim.SimComponent;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.helm.HelmJavaRenderer;
import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.plan.Planner;
import io.cnai.installer.render.ManifestSources;
import io.cnai.installer.render.StackRenderer;
import io.cnai.installer.testing.TestStack;
import io.cnai.distro.DistributionLoader;
import io.cnai.profiles.ProfileLoader;
import io.cnai.profiles.ProfileResolver;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API server restarts in the middle of an install: the install still completes. */
@SimClusterTest
class RestartSimTest {
  @TempDir Path tmp;

  @Test
  void installCompletesAcrossAnApiServerRestart(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.fixture(repo, tmp, true, "restart");
      var d = DistributionLoader.load(s.distribution());
      var p = ProfileResolver.resolve(ProfileLoader.loadDirectory(s.profiles), "test", d);
      PlanSource source = new PlanSource() {
        @Override
        public Path distributionFile() {
          return s.distribution();
        }

        @Override
        public io.cnai.installer.plan.Plan plan(io.cnai.installer.plan.TargetFacts facts) {
          return Planner.plan(d, p, facts, Map.of());
        }
      };
      Path cache = tmp.resolve("cache");
      StackRenderer renderer = new StackRenderer(new ChartCache(cache, ChartRepositories.standard()),
          new ManifestSources(StackRenderer.manifestCacheRoot(cache)), new HelmJavaRenderer());
      AtomicBoolean restarted = new AtomicBoolean();
      CompletableFuture<Void> restart = new CompletableFuture<>();
      Progress progress = (c, phase, m) -> {
        if ("certs".equals(c) && phase == Progress.Phase.APPLY && m.startsWith("helm") && restarted.compareAndSet(false, true)) {
          cluster.stop(SimComponent.APISERVER);
          CompletableFuture.runAsync(() -> {
            try {
              Thread.sleep(1500);
              cluster.start(SimComponent.APISERVER, Duration.ofSeconds(60));
              restart.complete(null);
            } catch (Throwable t) {
              restart.completeExceptionally(t);
            }
          });
        }
      };
      StackResult r;
      try (StackContext ctx = new Lifecycle(renderer, progress, Clock.systemUTC()).open(ClusterAccess.of(cluster.cluster().kubeconfig(), null))) {
        r = new InstallAction(ctx).source(source).timeout(Duration.ofSeconds(90)).run();
      }
      restart.get();
      assertThat(restarted).isTrue();
      assertThat(r.revision().status()).isEqualTo(StackRevision.Status.DEPLOYED);
      assertThat(SimState.deployedReleases(client)).containsKeys("restart-certs/certs", "restart-queues/queues", "restart-hooks/hooks");
      assertThat(Cli.run("status", "--kubeconfig", cluster.cluster().kubeconfig().toString()).exit()).isZero();
    } finally {
      assertThat(Cli.run("uninstall", "--kubeconfig", cluster.cluster().kubeconfig().toString()).exit()).isZero();
    }
  }
}
