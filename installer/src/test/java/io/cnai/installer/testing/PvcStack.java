package io.cnai.installer.testing;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.plan.Canonical;
import io.cnai.installer.verify.KeyPairs;
import io.cnai.installer.verify.KeySigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * Two signed releases of a small stack whose components keep data, for the PersistentVolumeClaim
 * behaviour of upgrade and uninstall; every component in a namespace {@code <prefix>-<component>}.
 *
 * <ul>
 *   <li>{@code anchor} (both releases): a chart with one ConfigMap, so that v2 is not empty;
 *   <li>{@code keeper} (v1 only): a chart with a PVC in its templates ({@code keeper-data}, as
 *       JupyterHub's hub database) and a StatefulSet with {@code volumeClaimTemplates} (PVC
 *       {@code data-keeper-db-0}, made by the StatefulSet controller, as databases do). Nothing
 *       binds the PVCs (no provisioner on kwok), so the StatefulSet's pod names its node itself
 *       ({@code lookup} of the nodes at install time) instead of waiting for the scheduler;
 *   <li>{@code ledger} (v1 only): a plain manifest with a PVC ({@code ledger-data}, as the
 *       Kubeflow Pipelines and Katib manifests have for MySQL) and a ConfigMap.
 * </ul>
 */
public final class PvcStack {
  public final Path dir;
  public final Path v1;
  public final Path v2;
  public final Path profiles;
  public final String anchorNamespace;
  public final String keeperNamespace;
  public final String ledgerNamespace;
  private final KeyPair key;
  private final Path publicKey;

  private PvcStack(LocalChartRepository repo, Path dir, String prefix) throws IOException {
    this.dir = dir;
    anchorNamespace = prefix + "-anchor";
    keeperNamespace = prefix + "-keeper";
    ledgerNamespace = prefix + "-ledger";
    Path charts = Files.createDirectories(dir.resolve("charts"));

    Path anchor = Files.createDirectories(charts.resolve("anchor/templates")).getParent();
    Files.writeString(anchor.resolve("Chart.yaml"), """
        apiVersion: v2
        name: anchor
        description: A component that stays in every release.
        version: 1.0.0
        """);
    Files.writeString(anchor.resolve("templates/configmap.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-settings
        data:
          mode: steady
        """);
    String anchorDigest = repo.publish(TestCharts.packageDir(anchor, charts.resolve("out-anchor"))).digest();

    Path keeper = Files.createDirectories(charts.resolve("keeper/templates")).getParent();
    Files.writeString(keeper.resolve("Chart.yaml"), """
        apiVersion: v2
        name: keeper
        description: A component with data - a PVC of its own and a StatefulSet's volume claim.
        version: 1.0.0
        """);
    Files.writeString(keeper.resolve("values.yaml"), "size: 1Gi\n");
    Files.writeString(keeper.resolve("templates/pvc.yaml"), """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: {{ .Release.Name }}-data
          labels:
            app.kubernetes.io/name: keeper
            app.kubernetes.io/instance: {{ .Release.Name }}
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: {{ .Values.size }}
        """);
    Files.writeString(keeper.resolve("templates/statefulset.yaml"), """
        {{- /* no provisioner binds the claim on kwok: place the pod on an untainted node directly */}}
        {{- $node := "" }}
        {{- range (lookup "v1" "Node" "" "").items }}
        {{- if and (not $node) (not .spec.taints) }}{{ $node = .metadata.name }}{{ end }}
        {{- end }}
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: {{ .Release.Name }}-db
        spec:
          serviceName: {{ .Release.Name }}-db
          replicas: 1
          selector:
            matchLabels:
              app.kubernetes.io/name: keeper-db
              app.kubernetes.io/instance: {{ .Release.Name }}
          template:
            metadata:
              labels:
                app.kubernetes.io/name: keeper-db
                app.kubernetes.io/instance: {{ .Release.Name }}
            spec:
              {{- with $node }}
              nodeName: {{ . }}
              {{- end }}
              containers:
                - name: db
                  image: registry.cnai.test/db:1.0.0
                  volumeMounts:
                    - {name: data, mountPath: /var/lib/db}
          volumeClaimTemplates:
            - metadata:
                name: data
              spec:
                accessModes: [ReadWriteOnce]
                resources:
                  requests:
                    storage: {{ .Values.size }}
        """);
    String keeperDigest = repo.publish(TestCharts.packageDir(keeper, charts.resolve("out-keeper"))).digest();

    Path ledger = dir.resolve("ledger.yaml");
    Files.writeString(ledger, """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: ledger-data
          namespace: %1$s
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ledger-settings
          namespace: %1$s
        data:
          retention: forever
        """.formatted(ledgerNamespace));
    String ledgerDigest = Canonical.sha256(Files.readAllBytes(ledger));

    String anchorComponent = """
            - name: anchor
              namespace: %s
              source:
                helm: {repository: %s, chart: anchor, version: 1.0.0, digest: %s}
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
        """.formatted(anchorNamespace, repo.url(), anchorDigest);
    String dataComponents = """
            - name: keeper
              namespace: %s
              source:
                helm: {repository: %s, chart: keeper, version: 1.0.0, digest: %s}
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
            - name: ledger
              namespace: %s
              source:
                manifest: {url: "%s", digest: %s}
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
        """.formatted(keeperNamespace, repo.url(), keeperDigest, ledgerNamespace, ledger.toUri(), ledgerDigest);
    v1 = distribution("v1", "2026.11", anchorComponent + dataComponents);
    v2 = distribution("v2", "2027.01", anchorComponent);

    profiles = Files.createDirectories(dir.resolve("profiles"));
    Files.writeString(profiles.resolve("test.yaml"), """
        apiVersion: cnai.io/v1alpha1
        kind: Profile
        metadata: {name: test}
        spec:
          requirements:
            kubernetes: {min: "1.35"}
        """);
    key = KeyPairs.generate();
    publicKey = dir.resolve("keys/pvc.pub");
    Files.createDirectories(publicKey.getParent());
    KeyPairs.write(key, dir.resolve("keys/pvc.key"), publicKey);
  }

  private Path distribution(String folder, String version, String components) throws IOException {
    Path f = Files.createDirectories(dir.resolve(folder)).resolve("distribution.yaml");
    Files.writeString(f, """
        apiVersion: distro.cnai.io/v1alpha1
        kind: Distribution
        metadata:
          name: pvc-fixture
          version: "%s"
        spec:
          kubernetes: {min: "1.30", max: "1.40"}
          components:
        """.formatted(version) + components);
    return f;
  }

  public static PvcStack create(LocalChartRepository repo, Path dir, String prefix) {
    try {
      return new PvcStack(repo, dir, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CLI arguments selecting v1 (signed with this stack's key), then {@code more}. */
  public String[] v1(String... more) {
    return args(v1, more);
  }

  /** CLI arguments selecting v2 (signed with this stack's key), then {@code more}. */
  public String[] v2(String... more) {
    return args(v2, more);
  }

  private String[] args(Path distribution, String... more) {
    new KeySigner(key).sign(distribution, Path.of(distribution + ".sigstore.json"));
    List<String> all = new ArrayList<>(List.of("--distribution", distribution.toString(), "--profiles-dir", profiles.toString(),
        "--profile", "test", "--distribution-key", publicKey.toString()));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
