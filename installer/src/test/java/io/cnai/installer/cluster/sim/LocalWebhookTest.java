package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeRegistries;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import io.cnai.installer.images.JibImageBuilder;
import io.cnai.installer.images.Registry;
import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.installer.kube.Readiness;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An admission webhook served by a pod on a real node: a validating webhook written here in Go
 * (standard library only, {@code src/test/resources/webhook-fixture}), compiled by this test,
 * packed into an image by cnai's image builder, pushed to the cluster's own registry, run as a
 * Deployment behind a Service with a certificate from a CA made here; registered fail-closed, it
 * refuses the ConfigMap it should and admits the others, called by the API server at the pod's
 * address. Not run (with the reason) without root, the node binaries, the registry or Go.
 */
@Tag("sim")
@Tag("nodes")
class LocalWebhookTest {
  private static final String NS = "webhook-test";

  @Test
  void aWebhookServedByAPodOnARealNodeRefusesAndAdmits() throws Exception {
    Path home = Files.createTempDirectory("cnai-webhook");
    NodeBinaries binaries = NodeBinaries.fromEnvironment();
    LocalProvider provider = new LocalProvider(home, SimBinaries.fromEnvironment(), binaries, Clock.systemUTC());
    List<String> missing = new ArrayList<>(provider.missing());
    if (!Files.isExecutable(binaries.registry())) {
      missing.add(binaries.registry() + " (run installer/tools/build-registry.sh)");
    }
    if (Commands.which("go").isEmpty()) {
      missing.add("go (to compile the webhook fixture)");
    }
    if (!missing.isEmpty()) {
      Files.delete(home);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "not run: a webhook on a real node needs " + missing);

    Path work = Files.createTempDirectory("cnai-webhook-work");
    Path source = Path.of(System.getProperty("cnai.repo.root", ".")).resolve("installer/src/test/resources/webhook-fixture/main.go");
    if (!Files.exists(source)) {
      source = Path.of("src/test/resources/webhook-fixture/main.go");
    }
    Files.copy(source, work.resolve("main.go"));
    ProcessBuilder go = new ProcessBuilder("go", "build", "-trimpath", "-o", "webhook", "main.go").directory(work.toFile())
        .redirectErrorStream(true);
    go.environment().put("CGO_ENABLED", "0");
    go.environment().put("GOFLAGS", "");
    Process p = go.start();
    String goOut = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("go build: %s", goOut).isZero();

    String name = "webhook-" + ProcessHandle.current().pid();
    try {
      long t0 = System.nanoTime();
      SimCluster cluster = provider.start(ClusterRequest.of(name, new NodeTopology(1, 0, 8, GpuProduct.of(GpuProduct.DEFAULT)))
          .withRegistries(new NodeRegistries(List.of(), true)));
      Registry registry = Registry.parse(provider.localRegistry(name).orElseThrow());
      ImageSpec image = ImageSpec.of(ImageRef.parse("cnai.local/webhook-fixture:1"), ImageSpec.Base.busybox())
          .withLayers(List.of(new ImageSpec.Layer(work.resolve("webhook"), "/webhook")))
          .withEntrypoint(List.of("/webhook"));
      new JibImageBuilder(work.resolve("cache")).push(image, registry, image.name().inMirror(registry.host()));

      // a CA of this test and a serving certificate for the Service's DNS name, as cert-manager would make
      SimPki pki = new SimPki(Clock.systemUTC());
      SimPki.Issued ca = pki.ca("cnai webhook test CA");
      SimPki.Issued serving = pki.serving(ca, "fixture.webhook-test.svc", List.of("fixture.webhook-test.svc"), List.of());
      try (KubernetesClient client = cluster.cluster().access().open()) {
        Applier a = new Applier(client);
        a.ensureNamespace(NS);
        client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata().withName("fixture-tls").endMetadata()
            .addToStringData("tls.crt", SimPki.pem(serving.cert())).addToStringData("tls.key", SimPki.sec1(serving.keys())).build()).create();
        ObjectRef deployment = a.apply("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: fixture}
            spec:
              replicas: 1
              selector: {matchLabels: {app: fixture}}
              template:
                metadata: {labels: {app: fixture}}
                spec:
                  containers:
                    - name: webhook
                      image: cnai.local/webhook-fixture:1
                      ports: [{containerPort: 8443}]
                      readinessProbe: {httpGet: {path: /healthz, port: 8443, scheme: HTTPS}, periodSeconds: 1}
                      volumeMounts: [{name: tls, mountPath: /tls, readOnly: true}]
                  volumes: [{name: tls, secret: {secretName: fixture-tls}}]
            """, NS, Map.of(), Map.of());
        ObjectRef svc = a.apply("""
            apiVersion: v1
            kind: Service
            metadata: {name: fixture}
            spec: {selector: {app: fixture}, ports: [{port: 443, targetPort: 8443}]}
            """, NS, Map.of(), Map.of());
        Readiness readiness = new Readiness(client);
        readiness.await("fixture", List.of(deployment), Duration.ofSeconds(120));
        readiness.awaitEndpoints("fixture", svc, Duration.ofSeconds(60));
        long served = System.nanoTime();
        a.apply("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata: {name: cnai-test-fixture}
            webhooks:
              - name: refuse.fixture.cnai.test
                admissionReviewVersions: [v1]
                sideEffects: None
                failurePolicy: Fail
                timeoutSeconds: 5
                namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: webhook-test}}
                rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
                clientConfig:
                  service: {name: fixture, namespace: webhook-test, path: /validate}
                  caBundle: %s
            """.formatted(Base64.getEncoder().encodeToString(SimPki.pem(ca.cert()).getBytes())), null, Map.of(), Map.of());

        // the API server may take a moment to see the new configuration: retry the refusal until it shows
        String refused = null;
        for (int i = 0; i < 30 && refused == null; i++) {
          try {
            client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("refused-" + i)
                .addToLabels("cnai.test/refuse", "true").endMetadata().build()).create();
            TimeUnit.SECONDS.sleep(1);
          } catch (KubernetesClientException e) {
            refused = e.getMessage();
          }
        }
        assertThat(refused).as("the webhook refused the labelled ConfigMap").isNotNull()
            .contains("refuse.fixture.cnai.test").contains("refused by the cnai test webhook");
        // an ordinary ConfigMap passes the same (fail-closed) webhook: it was called and admitted it
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("admitted").endMetadata()
            .addToData("k", "v").build()).create();
        assertThat(client.configMaps().inNamespace(NS).withName("admitted").get()).isNotNull();
        String log = client.pods().inNamespace(NS).withLabel("app", "fixture").list().getItems().stream()
            .map(pod -> client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).getLog()).reduce("", String::concat);
        assertThat(log).contains("reviewed admitted: allowed=true").contains("allowed=false");
        System.out.printf("[webhook] cluster up to webhook serving %d ms; refusal seen %d ms after registration%n",
            (served - t0) / 1_000_000, (System.nanoTime() - served) / 1_000_000);

        // with its pod gone, the fail-closed webhook refuses everything it intercepts: the API server really asks the pod
        client.apps().deployments().inNamespace(NS).withName("fixture").scale(0);
        client.pods().inNamespace(NS).withLabel("app", "fixture").waitUntilCondition(pod -> pod == null, 60, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
            .withName("no-server").endMetadata().build()).create())
            .isInstanceOf(KubernetesClientException.class).hasMessageContaining("refuse.fixture.cnai.test");
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName("cnai-test-fixture").delete();
      }
    } finally {
      provider.delete(name);
      for (Path dir : List.of(work, home)) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }
}
