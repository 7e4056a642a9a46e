package io.cnai.installer.testing;

import io.cnai.installer.charts.LocalChartRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small distribution built from the fixture charts, served by a real local HTTP chart
 * repository, with a profile folder beside it. Shaped like the real stack: a certificate controller
 * whose CRDs come from crds/, a queue controller whose CRDs are templates and which uses the
 * certificates, a chart with hooks, and a plain manifest component.
 */
public final class FixtureStack {
  public final LocalChartRepository repo;
  public final Path dir;
  public final Path distribution;
  public final Path profiles;
  public final String certsDigest;
  public final String queuesDigest;
  public final String hooksDigest;
  public final String manifestDigest;

  /** Namespace of each component: {@code certs-system} ..., or {@code <prefix>-certs} ... with a prefix. */
  public final String certsNamespace;
  public final String queuesNamespace;
  public final String hooksNamespace;
  public final String storeNamespace;

  private FixtureStack(LocalChartRepository repo, Path dir, boolean lockQueues, String prefix) throws IOException {
    this.repo = repo;
    this.dir = dir;
    certsNamespace = prefix == null ? "certs-system" : prefix + "-certs";
    queuesNamespace = prefix == null ? "queues-system" : prefix + "-queues";
    hooksNamespace = prefix == null ? "hooks" : prefix + "-hooks";
    storeNamespace = prefix == null ? "store-system" : prefix + "-store";
    certsDigest = repo.publishFixture("certs").digest();
    queuesDigest = repo.publishFixture("queues").digest();
    hooksDigest = repo.publishFixture("hooks").digest();
    Path manifest = dir.resolve("operator.yaml");
    Files.writeString(manifest, """
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
          namespace: %s
        spec:
          replicas: 1
          selector: {matchLabels: {app: store-operator}}
          template:
            metadata: {labels: {app: store-operator}}
            spec:
              containers:
                - name: manager
                  image: registry.cnai.test/store-operator:1.0.0
        """.formatted(storeNamespace));
    manifestDigest = io.cnai.installer.plan.Canonical.sha256(Files.readAllBytes(manifest));
    distribution = dir.resolve("distribution.yaml");
    Files.writeString(distribution, """
        apiVersion: distro.cnai.io/v1alpha1
        kind: Distribution
        metadata:
          name: fixture
          version: "2026.11"
        spec:
          kubernetes: {min: "1.30", max: "1.40"}
          components:
            - name: certs
              namespace: %7$s
              source:
                helm: {repository: %1$s, chart: certs, version: 1.4.0, digest: %2$s}
              provides:
                crds: [{group: certs.cnai.test, kinds: [Certificate, Issuer]}]
                capabilities: [certificates]
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
            - name: queues
              namespace: %8$s
              source:
                helm: {repository: %1$s, chart: queues, version: 0.9.2%3$s}
              uses: [certs.cnai.test]
              provides:
                capabilities: [queueing]
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
            - name: hooks
              namespace: %9$s
              source:
                helm: {repository: %1$s, chart: hooks, version: 2.0.0, digest: %4$s}
              dependsOn: [certs]
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
            - name: store-operator
              namespace: %10$s
              source:
                manifest: {url: "%5$s", digest: %6$s}
              provides:
                crds: [{group: features.cnai.test, kinds: [Store]}]
                capabilities: [feature-store]
              signature:
                chart: {type: none, reason: fixture}
                images: {type: none, reason: fixture}
        """.formatted(repo.url(), certsDigest, lockQueues ? ", digest: " + queuesDigest : "", hooksDigest, manifest.toUri(), manifestDigest,
            certsNamespace, queuesNamespace, hooksNamespace, storeNamespace));
    profiles = dir.resolve("profiles");
    Files.createDirectories(profiles);
    Files.writeString(profiles.resolve("test.yaml"), """
        apiVersion: cnai.io/v1alpha1
        kind: Profile
        metadata: {name: test}
        spec:
          requirements:
            kubernetes: {min: "1.35"}
        """);
  }

  /** Publishes the fixture charts into {@code repo} and writes the files into {@code dir}. */
  public static FixtureStack create(LocalChartRepository repo, Path dir, boolean lockQueues) {
    return create(repo, dir, lockQueues, null);
  }

  /**
   * As {@link #create(LocalChartRepository, Path, boolean)}, with every component in a namespace
   * named {@code <prefix>-<component>}, so that several stacks can share one cluster.
   */
  public static FixtureStack create(LocalChartRepository repo, Path dir, boolean lockQueues, String prefix) {
    try {
      return new FixtureStack(repo, dir, lockQueues, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CLI arguments that select this stack. */
  public String[] args(String... more) {
    String[] base = {"--distribution", distribution.toString(), "--profiles-dir", profiles.toString(), "--profile", "test"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private java.security.KeyPair signingKey;

  /** The public key this stack's lockfiles are signed with (created on first use). */
  public synchronized Path publicKey() {
    Path pub = dir.resolve("keys/fixture.pub");
    if (signingKey == null) {
      signingKey = io.cnai.installer.verify.KeyPairs.generate();
      try {
        Files.createDirectories(pub.getParent());
        Files.deleteIfExists(pub);
        Files.deleteIfExists(dir.resolve("keys/fixture.key"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      io.cnai.installer.verify.KeyPairs.write(signingKey, dir.resolve("keys/fixture.key"), pub);
    }
    return pub;
  }

  /** Signs {@code lockfile} as it is now, as a release manager would, with this stack's key. */
  public Path sign(Path lockfile) {
    publicKey();
    return new io.cnai.installer.verify.KeySigner(signingKey).sign(lockfile, Path.of(lockfile + ".sigstore.json"));
  }

  /**
   * CLI arguments for install and upgrade: the lockfile is signed as it is now and its public key
   * is given as the distribution signer.
   */
  public String[] trusted(String... more) {
    sign(distribution);
    String[] withKey = new String[more.length + 2];
    withKey[0] = "--distribution-key";
    withKey[1] = publicKey().toString();
    System.arraycopy(more, 0, withKey, 2, more.length);
    return args(withKey);
  }
}
