package io.cnai.installer.testing;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.charts.TestCharts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two releases of the fixture stack for lifecycle tests, in namespaces of their own
 * ({@code <prefix>-<component>}): v1 is {@link FixtureStack}; v2 bumps certs to 1.5.0 (the fixture
 * chart republished with a new version), adds {@code greedy} (a chart whose Deployment asks for
 * {@code gpus} GPUs, 1 by default) and removes {@code hooks}.
 */
public final class LifecycleStack {
  public final FixtureStack v1;
  public final Path v2;
  public final String prefix;
  public final String greedyNamespace;

  private LifecycleStack(LocalChartRepository repo, Path dir, String prefix) throws IOException {
    this.prefix = prefix;
    Files.createDirectories(dir.resolve("v1"));
    v1 = FixtureStack.create(repo, dir.resolve("v1"), true, prefix);
    greedyNamespace = prefix + "-greedy";
    Path work = Files.createDirectories(dir.resolve("charts"));
    Path certs = TestCharts.withVersion(TestCharts.copy("certs", work.resolve("certs-1.5.0")), "1.5.0");
    String certs15 = repo.publish(TestCharts.packageDir(certs, Files.createDirectories(work.resolve("out-certs")))).digest();
    Path greedy = Files.createDirectories(work.resolve("greedy/templates"));
    Files.writeString(greedy.getParent().resolve("Chart.yaml"), """
        apiVersion: v2
        name: greedy
        description: A workload that asks for GPUs.
        version: 0.1.0
        """);
    Files.writeString(greedy.getParent().resolve("values.yaml"), "gpus: 1\n");
    Files.writeString(greedy.resolve("deployment.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}-trainer
        spec:
          replicas: 1
          selector: {matchLabels: {app: greedy}}
          template:
            metadata: {labels: {app: greedy}}
            spec:
              containers:
                - name: trainer
                  image: registry.cnai.test/trainer:1
                  resources:
                    limits: {nvidia.com/gpu: {{ .Values.gpus }}}
        """);
    String greedyDigest = repo.publish(TestCharts.packageDir(greedy.getParent(), Files.createDirectories(work.resolve("out-greedy")))).digest();
    v2 = dir.resolve("v2/distribution.yaml");
    Files.createDirectories(v2.getParent());
    Files.writeString(v2, """
        apiVersion: distro.cnai.io/v1alpha1
        kind: Distribution
        metadata:
          name: fixture
          version: "2027.01"
        spec:
          kubernetes: {min: "1.30", max: "1.40"}
          components:
            - name: certs
              namespace: %3$s
              source:
                helm: {repository: %1$s, chart: certs, version: 1.5.0, digest: %2$s}
              provides:
                crds: [{group: certs.cnai.test, kinds: [Certificate, Issuer]}]
                capabilities: [certificates]
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
            - name: queues
              namespace: %4$s
              source:
                helm: {repository: %1$s, chart: queues, version: 0.9.2, digest: %5$s}
              uses: [certs.cnai.test]
              provides:
                capabilities: [queueing]
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
            - name: greedy
              namespace: %6$s
              source:
                helm: {repository: %1$s, chart: greedy, version: 0.1.0, digest: %7$s}
              dependsOn: [queues]
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
            - name: store-operator
              namespace: %8$s
              source:
                manifest: {url: "%9$s", digest: %10$s}
              provides:
                crds: [{group: features.cnai.test, kinds: [Store]}]
                capabilities: [feature-store]
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
        """.formatted(repo.url(), certs15, v1.certsNamespace, v1.queuesNamespace, v1.queuesDigest, greedyNamespace, greedyDigest,
            v1.storeNamespace, v1.dir.resolve("operator.yaml").toUri(), v1.manifestDigest));
  }

  public static LifecycleStack create(LocalChartRepository repo, Path dir, String prefix) {
    try {
      return new LifecycleStack(repo, dir, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CLI arguments selecting v1. */
  public String[] v1(String... more) {
    return v1.trusted(more);
  }

  /** CLI arguments selecting v2. */
  public String[] v2(String... more) {
    v1.sign(v2);
    String[] base = {"--distribution", v2.toString(), "--profiles-dir", v1.profiles.toString(), "--profile", "test",
        "--distribution-key", v1.publicKey().toString()};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
