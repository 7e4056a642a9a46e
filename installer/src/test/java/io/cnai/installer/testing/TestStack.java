package io.cnai.installer.testing;

import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.installer.charts.ChartCache;
import io.cnai.installer.charts.ChartRepositories;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.helm.HelmJavaRenderer;
import io.cnai.installer.lifecycle.Lifecycle;
import io.cnai.installer.lifecycle.PlanSource;
import io.cnai.installer.lifecycle.Progress;
import io.cnai.installer.plan.Canonical;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.Planner;
import io.cnai.installer.plan.TargetFacts;
import io.cnai.installer.render.ManifestSources;
import io.cnai.installer.render.StackRenderer;
import io.cnai.installer.verify.KeyPairs;
import io.cnai.installer.verify.KeySigner;
import io.cnai.profiles.ProfileLoader;
import io.cnai.profiles.ProfileResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one builder of test stacks: charts published to a real local chart repository, manifests
 * written to files, one or more releases (lockfiles) of those components, a {@code test} profile,
 * and a signing key. Gives CLI arguments for the CLI's tests and {@link PlanSource}s and a
 * {@link Lifecycle} for tests that drive the library.
 *
 * <p>The stacks the tests share are presets here: {@link #fixture} (a certificate controller with
 * CRDs in crds/, a queue controller with templated CRDs, a chart with hooks, a manifest operator),
 * {@link #lifecycle} (that as v1, and a v2 that bumps, adds and removes components) and {@link #pvc}
 * (components that keep data in PersistentVolumeClaims).
 */
public final class TestStack {
  public final LocalChartRepository repo;
  public final Path dir;
  public final Path profiles;
  private final String prefix;
  private final Map<String, String> digests;
  private final Map<String, String> namespaces;
  private final Map<String, Path> releases;
  private KeyPair key;

  private TestStack(Builder b) throws IOException {
    this.repo = b.repo;
    this.dir = b.dir;
    this.prefix = b.prefix;
    this.digests = Map.copyOf(b.digests);
    this.namespaces = Map.copyOf(b.namespaces);
    this.releases = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> r : b.releases.entrySet()) {
      Path f = Files.createDirectories(dir.resolve(r.getKey())).resolve("distribution.yaml");
      StringBuilder yaml = new StringBuilder("""
          apiVersion: distro.cnai.io/v1alpha1
          kind: Distribution
          metadata:
            name: %s
            version: "%s"
          spec:
            kubernetes: {min: "1.30", max: "1.40"}
            components:
          """.formatted(b.name, b.versions.get(r.getKey())));
      for (String c : r.getValue()) {
        yaml.append(b.components.get(c));
      }
      Files.writeString(f, yaml.toString());
      releases.put(r.getKey(), f);
    }
    profiles = Files.createDirectories(dir.resolve("profiles"));
    Files.writeString(profiles.resolve("test.yaml"), """
        apiVersion: cnai.io/v1alpha1
        kind: Profile
        metadata: {name: test}
        spec:
          requirements:
            kubernetes: {min: "1.35"}
        """);
  }

  public static Builder builder(LocalChartRepository repo, Path dir) {
    return new Builder(repo, dir);
  }

  /** Declares components and the releases made of them. */
  public static final class Builder {
    private final LocalChartRepository repo;
    private final Path dir;
    private String prefix;
    private String name = "fixture";
    private final Map<String, String> digests = new LinkedHashMap<>();
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final Map<String, String> components = new LinkedHashMap<>();
    private final Map<String, List<String>> releases = new LinkedHashMap<>();
    private final Map<String, String> versions = new LinkedHashMap<>();

    private Builder(LocalChartRepository repo, Path dir) {
      this.repo = repo;
      this.dir = dir;
    }

    /**
     * Every component in namespace {@code <prefix>-<name>}, where name is the component's own
     * namespace without {@code -system}: several stacks can share a cluster.
     */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** The distribution's name in every release. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    private String namespace(String component, String unprefixed) {
      String ns = prefix == null ? unprefixed : prefix + "-" + unprefixed.replaceFirst("-system$", "");
      namespaces.put(component, ns);
      return ns;
    }

    /**
     * A Helm component whose chart (a folder) is packaged and published now. {@code key}: the name
     * the component is known by in {@link #release}; {@code locked}: whether the lockfile has the
     * digest; {@code more}: further lines of the component (provides, uses, dependsOn), indented
     * as a component's fields.
     */
    public Builder chart(String key, String component, String namespace, Path chartDir, boolean locked, String more) {
      try {
        Path out = Files.createDirectories(dir.resolve("charts/out-" + key));
        LocalChartRepository.Published p = repo.publish(TestCharts.packageDir(chartDir, out));
        digests.put(key, p.digest());
        String[] nv = TestCharts.nameAndVersion(p.archive());
        String source = "helm: {repository: %s, chart: %s, version: %s%s}".formatted(repo.url(), nv[0], nv[1],
            locked ? ", digest: " + p.digest() : "");
        components.put(key, component(component, namespace(component, namespace), source, more));
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A Helm component from one of the fixture charts of the test resources. */
    public Builder fixtureChart(String chart, String namespace, boolean locked, String more) {
      return chart(chart, chart, namespace, TestCharts.dir(chart), locked, more);
    }

    /** A manifest component; {@code manifest} may use {@code %1$s} for the component's namespace. */
    public Builder manifest(String component, String namespace, String file, String manifest, String more) {
      try {
        String ns = namespace(component, namespace);
        Path f = dir.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, manifest.formatted(ns));
        String digest = Canonical.sha256(Files.readAllBytes(f));
        digests.put(component, digest);
        components.put(component, component(component, ns, "manifest: {url: \"%s\", digest: %s}".formatted(f.toUri(), digest), more));
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String component(String name, String namespace, String source, String more) {
      return """
              - name: %s
                namespace: %s
                source:
                  %s
          %s      signature:
                  chart: {type: none, reason: fixture}
                  images: {type: none, reason: fixture}
          """.formatted(name, namespace, source, more.isEmpty() ? "" : more.indent(6));
    }

    /** A release (lockfile in folder {@code folder}) of the components given by their keys, in order. */
    public Builder release(String folder, String version, String... componentKeys) {
      releases.put(folder, List.of(componentKeys));
      versions.put(folder, version);
      return this;
    }

    public TestStack build() {
      try {
        return new TestStack(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // ---------------------------------------------------------------- presets

  private static final String CERTS_PROVIDES = """
      provides:
        crds: [{group: certs.cnai.test, kinds: [Certificate, Issuer]}]
        capabilities: [certificates]
      """;
  private static final String QUEUES_MORE = """
      uses: [certs.cnai.test]
      provides:
        capabilities: [queueing]
      """;
  private static final String STORE_PROVIDES = """
      provides:
        crds: [{group: features.cnai.test, kinds: [Store]}]
        capabilities: [feature-store]
      """;
  private static final String STORE_OPERATOR = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: stores.features.cnai.test
      spec:
        group: features.cnai.test
        names: {kind: Store, plural: stores, singular: store, listKind: StoreList}
        scope: Namespaced
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, properties: {size: {type: integer, minimum: 1}}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: store-operator
        namespace: %1$s
      spec:
        replicas: 1
        selector: {matchLabels: {app: store-operator}}
        template:
          metadata: {labels: {app: store-operator}}
          spec:
            containers:
              - name: manager
                image: registry.cnai.test/store-operator:1.0.0
      """;

  private static Builder fixtureComponents(LocalChartRepository repo, Path dir, boolean lockQueues, String prefix) {
    return builder(repo, dir).prefix(prefix)
        .fixtureChart("certs", "certs-system", true, CERTS_PROVIDES)
        .fixtureChart("queues", "queues-system", lockQueues, QUEUES_MORE)
        .fixtureChart("hooks", "hooks", true, "dependsOn: [certs]\n")
        .manifest("store-operator", "store-system", "operator.yaml", STORE_OPERATOR, STORE_PROVIDES);
  }

  /**
   * Release {@code v1}: certs (CRDs in crds/), queues (CRDs in templates; unlocked unless
   * {@code lockQueues}), hooks (install hooks), store-operator (a manifest with a CRD).
   * {@code prefix}: null for the components' own namespaces.
   */
  public static TestStack fixture(LocalChartRepository repo, Path dir, boolean lockQueues, String prefix) {
    return fixtureComponents(repo, dir, lockQueues, prefix).release("v1", "2026.11", "certs", "queues", "hooks", "store-operator").build();
  }

  /**
   * {@link #fixture} as {@code v1} (queues locked), and {@code v2}: certs 1.5.0 (the fixture chart
   * republished), {@code greedy} added (a Deployment asking for {@code gpus} GPUs, 1 by default),
   * hooks removed.
   */
  public static TestStack lifecycle(LocalChartRepository repo, Path dir, String prefix) {
    try {
      Path work = Files.createDirectories(dir.resolve("sources"));
      Path certs15 = TestCharts.withVersion(TestCharts.copy("certs", work.resolve("certs-1.5.0")), "1.5.0");
      Path greedy = Files.createDirectories(work.resolve("greedy/templates")).getParent();
      Files.writeString(greedy.resolve("Chart.yaml"), """
          apiVersion: v2
          name: greedy
          description: A workload that asks for GPUs.
          version: 0.1.0
          """);
      Files.writeString(greedy.resolve("values.yaml"), "gpus: 1\n");
      Files.writeString(greedy.resolve("templates/deployment.yaml"), """
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
      return fixtureComponents(repo, dir, true, prefix)
          .chart("certs-1.5.0", "certs", "certs-system", certs15, true, CERTS_PROVIDES)
          .chart("greedy", "greedy", "greedy", greedy, true, "dependsOn: [queues]\n")
          .release("v1", "2026.11", "certs", "queues", "hooks", "store-operator")
          .release("v2", "2027.01", "certs-1.5.0", "queues", "greedy", "store-operator")
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A stack as wide as a real one: {@code charts} Helm charts {@code w01 ... wNN} (each with two
   * CRDs in crds/, and a ServiceAccount, ClusterRole and binding, Role and binding, ConfigMap,
   * Service and Deployment), in two waves: {@code w01} (as cert-manager is), then every other one,
   * which depends on it. Release {@code v1}; for benchmarks against the Helm CLI and helmfile.
   */
  public static TestStack wide(LocalChartRepository repo, Path dir, String prefix, int charts) {
    try {
      Builder b = builder(repo, dir).prefix(prefix).name("wide");
      List<String> keys = new ArrayList<>();
      for (int i = 1; i <= charts; i++) {
        String name = "w%02d".formatted(i);
        Path c = Files.createDirectories(dir.resolve("sources/" + name + "/templates")).getParent();
        Files.createDirectories(c.resolve("crds"));
        Files.writeString(c.resolve("Chart.yaml"), "apiVersion: v2\nname: %s\ndescription: One of a wide stack.\nversion: 1.0.0\n".formatted(name));
        Files.writeString(c.resolve("values.yaml"), "replicas: 1\nimage: registry.cnai.test/%s:1\nlogLevel: info\n".formatted(name));
        for (String kind : List.of("Widget", "Gadget")) {
          String plural = kind.toLowerCase(java.util.Locale.ROOT) + "s";
          Files.writeString(c.resolve("crds/" + plural + ".yaml"), """
              apiVersion: apiextensions.k8s.io/v1
              kind: CustomResourceDefinition
              metadata: {name: %2$s.%1$s.cnai.test}
              spec:
                group: %1$s.cnai.test
                names: {kind: %3$s, listKind: %3$sList, plural: %2$s, singular: %4$s}
                scope: Namespaced
                versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              size: {type: integer, minimum: 0}
                              owner: {type: string}
              """.formatted(name, plural, kind, kind.toLowerCase(java.util.Locale.ROOT)));
        }
        Files.writeString(c.resolve("templates/rbac.yaml"), """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: {{ .Release.Name }}-controller}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: {{ .Release.Namespace }}-{{ .Release.Name }}-controller}
            rules:
              - apiGroups: [{{ .Chart.Name }}.cnai.test]
                resources: [widgets, gadgets]
                verbs: [get, list, watch, update]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: {{ .Release.Namespace }}-{{ .Release.Name }}-controller}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {{ .Release.Namespace }}-{{ .Release.Name }}-controller}
            subjects: [{kind: ServiceAccount, name: {{ .Release.Name }}-controller, namespace: {{ .Release.Namespace }}}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: {{ .Release.Name }}-leader-election}
            rules:
              - apiGroups: [coordination.k8s.io]
                resources: [leases]
                verbs: [get, create, update]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: {{ .Release.Name }}-leader-election}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: {{ .Release.Name }}-leader-election}
            subjects: [{kind: ServiceAccount, name: {{ .Release.Name }}-controller}]
            """);
        Files.writeString(c.resolve("templates/controller.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: {{ .Release.Name }}-config}
            data:
              log-level: {{ .Values.logLevel | quote }}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: {{ .Release.Name }}-metrics}
            spec:
              selector: {app: {{ .Release.Name }}}
              ports: [{name: metrics, port: 8080}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: {{ .Release.Name }}-controller}
            spec:
              replicas: {{ .Values.replicas }}
              selector: {matchLabels: {app: {{ .Release.Name }}}}
              template:
                metadata: {labels: {app: {{ .Release.Name }}}}
                spec:
                  serviceAccountName: {{ .Release.Name }}-controller
                  containers:
                    - name: controller
                      image: {{ .Values.image }}
                      args: [--log-level={{ .Values.logLevel }}]
                      ports: [{containerPort: 8080}]
            """);
        String more = i == 1 ? "" : "dependsOn: [w01]\n";
        b.chart(name, name, name + "-system", c, true, more);
        keys.add(name);
      }
      return b.release("v1", "2026.11", keys.toArray(String[]::new)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Components that keep data, every one in {@code <prefix>-<component>}: {@code anchor} (both
   * releases; one ConfigMap, so that v2 is not empty), {@code keeper} (v1 only; a PVC in its
   * templates, as JupyterHub's hub database, and a StatefulSet with {@code volumeClaimTemplates},
   * as databases have; its pod names its node itself through {@code lookup}, since nothing binds
   * the claims on kwok), {@code ledger} (v1 only; a manifest with a PVC, as the Pipelines and Katib
   * manifests have for MySQL, and a ConfigMap).
   */
  public static TestStack pvc(LocalChartRepository repo, Path dir, String prefix) {
    try {
      Path charts = Files.createDirectories(dir.resolve("sources"));
      Path anchor = Files.createDirectories(charts.resolve("anchor/templates")).getParent();
      Files.writeString(anchor.resolve("Chart.yaml"), "apiVersion: v2\nname: anchor\ndescription: A component that stays in every release.\nversion: 1.0.0\n");
      Files.writeString(anchor.resolve("templates/configmap.yaml"), """
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: {{ .Release.Name }}-settings
          data:
            mode: steady
          """);
      Path keeper = Files.createDirectories(charts.resolve("keeper/templates")).getParent();
      Files.writeString(keeper.resolve("Chart.yaml"),
          "apiVersion: v2\nname: keeper\ndescription: A component with data - a PVC of its own and a StatefulSet's volume claim.\nversion: 1.0.0\n");
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
      return builder(repo, dir).prefix(prefix).name("pvc-fixture")
          .chart("anchor", "anchor", "anchor", anchor, true, "")
          .chart("keeper", "keeper", "keeper", keeper, true, "")
          .manifest("ledger", "ledger", "ledger.yaml", """
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
              """, "")
          .release("v1", "2026.11", "anchor", "keeper", "ledger")
          .release("v2", "2027.01", "anchor")
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- what tests use

  /** The lockfile of a release. */
  public Path distribution(String release) {
    Path p = releases.get(release);
    if (p == null) {
      throw new IllegalArgumentException("no release " + release + " in this stack: " + releases.keySet());
    }
    return p;
  }

  /** The lockfile of the first release. */
  public Path distribution() {
    return releases.values().iterator().next();
  }

  /** The namespace of a component. */
  public String namespace(String component) {
    return namespaces.get(component);
  }

  /** The digest of a component's chart or manifest, by the key it was declared with. */
  public String digest(String key) {
    return digests.get(key);
  }

  public String prefix() {
    return prefix;
  }

  /** CLI arguments that select the first release (unsigned), then {@code more}. */
  public String[] args(String... more) {
    return args(distribution(), more);
  }

  /** CLI arguments that select {@code lockfile} with this stack's profiles, then {@code more}. */
  public String[] args(Path lockfile, String... more) {
    List<String> all = new ArrayList<>(List.of("--distribution", lockfile.toString(), "--profiles-dir", profiles.toString(), "--profile", "test"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** CLI arguments for install and upgrade of a release: signed as it is now, the key given as the signer. */
  public String[] signed(String release, String... more) {
    Path lockfile = distribution(release);
    sign(lockfile);
    List<String> all = new ArrayList<>(List.of(args(lockfile, "--distribution-key", publicKey().toString())));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** {@link #signed(String, String...)} of the first release. */
  public String[] trusted(String... more) {
    return signed(releases.keySet().iterator().next(), more);
  }

  /** The public key this stack's lockfiles are signed with (made on first use). */
  public synchronized Path publicKey() {
    Path pub = dir.resolve("keys/fixture.pub");
    if (key == null) {
      key = KeyPairs.generate();
      try {
        Files.createDirectories(pub.getParent());
        Files.deleteIfExists(pub);
        Files.deleteIfExists(dir.resolve("keys/fixture.key"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      KeyPairs.write(key, dir.resolve("keys/fixture.key"), pub);
    }
    return pub;
  }

  /** Signs {@code lockfile} as it is now, as a release manager would, with this stack's key. */
  public Path sign(Path lockfile) {
    publicKey();
    return new KeySigner(key).sign(lockfile, Path.of(lockfile + ".sigstore.json"));
  }

  /** What the library plans for a release of this stack with the {@code test} profile and these overrides. */
  public PlanSource planSource(String release, Map<String, Map<String, Object>> overrides) {
    Path lockfile = distribution(release);
    Distribution d = DistributionLoader.load(lockfile);
    var profile = ProfileResolver.resolve(ProfileLoader.loadDirectory(profiles), "test", d);
    return new PlanSource() {
      @Override
      public Path distributionFile() {
        return lockfile;
      }

      @Override
      public Plan plan(TargetFacts facts) {
        return Planner.plan(d, profile, facts, overrides);
      }
    };
  }

  /** {@link #planSource(String, Map)} without overrides. */
  public PlanSource planSource(String release) {
    return planSource(release, Map.of());
  }

  /** A lifecycle that caches charts under {@code cache} and reports to {@code progress}. */
  public static Lifecycle lifecycle(Path cache, Progress progress) {
    StackRenderer renderer = new StackRenderer(new ChartCache(cache, ChartRepositories.standard()),
        new ManifestSources(StackRenderer.manifestCacheRoot(cache)), new HelmJavaRenderer());
    return new Lifecycle(renderer, progress, Clock.systemUTC());
  }
}
