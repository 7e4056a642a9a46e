package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.charts.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rendering the fixture charts with helm-java, client-side. */
class HelmJavaRendererTest {
  static Path packaged;
  final ChartRenderer renderer = new HelmJavaRenderer();

  @BeforeAll
  static void packageFixtures() throws IOException {
    packaged = Files.createTempDirectory("cnai-render-test-");
  }

  @AfterAll
  static void cleanUp() {
    TestFiles.deleteTree(packaged);
  }

  static Path chart(String name) {
    return TestCharts.packageChart(name, packaged.resolve(name));
  }

  static RenderRequest request(String chart) {
    return RenderRequest.of(chart(chart), "rel", "team-a", "1.35.0");
  }

  static List<String> ids(List<Manifest> ms) {
    return ms.stream().map(Manifest::id).toList();
  }

  @Test
  void crdsFromTheCrdsFolderAreCrdsAndTemplatesAreResources() {
    RenderedChart r = renderer.render(request("certs"));

    assertThat(ids(r.crds()))
        .containsExactly(
            "CustomResourceDefinition/certificates.certs.cnai.test",
            "CustomResourceDefinition/issuers.certs.cnai.test");
    assertThat(ids(r.resources()))
        .containsExactlyInAnyOrder(
            "ServiceAccount/team-a/rel-certs",
            "ConfigMap/team-a/rel-certs-config",
            "Deployment/team-a/rel-certs",
            "ValidatingWebhookConfiguration/rel-certs-webhook");
    assertThat(r.hooks()).isEmpty();
    Manifest deployment = r.resources().stream().filter(m -> m.kind().equals("Deployment")).findFirst().orElseThrow();
    assertThat(deployment.apiVersion()).isEqualTo("apps/v1");
    assertThat(deployment.yaml()).contains("image: \"registry.example.test/certs/controller:v1.4.0\"");
    Manifest config = r.resources().stream().filter(m -> m.kind().equals("ConfigMap")).findFirst().orElseThrow();
    assertThat(config.yaml()).contains("    max-concurrent-challenges=60"); // .Files.Get
    assertThat(String.join("\n", r.resources().stream().map(Manifest::yaml).toList()))
        .doesNotContain("Create an Issuer next"); // NOTES.txt is not an object
  }

  @Test
  void aChartWhoseTemplatesRenderNothingHasNoObjects() throws IOException {
    // shaped like kserve-crd rendered without its CRD templates: every template is guarded off
    Path dir = Files.createDirectories(packaged.resolve("src/empty/templates")).getParent();
    Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: empty\nversion: 0.1.0\n");
    Files.writeString(dir.resolve("values.yaml"), "enabled: false\n");
    Files.writeString(dir.resolve("templates/crd.yaml"), "{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n{{- end }}\n");
    Path archive = TestCharts.packageDir(dir, Files.createDirectories(packaged.resolve("out-empty")));

    RenderedChart r = renderer.render(RenderRequest.of(archive, "rel", "team-a", "1.35.0"));

    assertThat(r.crds()).isEmpty();
    assertThat(r.resources()).isEmpty();
    assertThat(r.hooks()).isEmpty();
  }

  @Test
  void valuesAreApplied() {
    RenderedChart r = renderer.render(request("certs").withValues(Map.of(
        "replicaCount", 3, "webhook", Map.of("enabled", false), "image", Map.of("tag", "v9"))));

    assertThat(ids(r.resources()))
        .containsExactlyInAnyOrder("ServiceAccount/team-a/rel-certs", "ConfigMap/team-a/rel-certs-config", "Deployment/team-a/rel-certs");
    Manifest deployment = r.resources().stream().filter(m -> m.kind().equals("Deployment")).findFirst().orElseThrow();
    assertThat(deployment.yaml()).contains("replicas: 3").contains(":v9\"");
  }

  @Test
  void crdsEmittedByTemplatesAreCrdsToo() {
    RenderedChart r = renderer.render(request("queues"));

    assertThat(ids(r.crds()))
        .containsExactlyInAnyOrder(
            "CustomResourceDefinition/clusterqueues.queues.cnai.test",
            "CustomResourceDefinition/localqueues.queues.cnai.test",
            "CustomResourceDefinition/workloads.queues.cnai.test");
    assertThat(r.crds().get(0).yaml()).contains("app.kubernetes.io/instance: rel");
    assertThat(ids(r.resources()))
        .containsExactlyInAnyOrder(
            "Namespace/team-a-workloads",
            "ClusterRole/rel-manager-role",
            "Deployment/team-a/rel-controller-manager");

    RenderedChart off = renderer.render(request("queues").withValues(Map.of("crds", Map.of("install", false))));
    assertThat(off.crds()).isEmpty();
  }

  @Test
  void kubeVersionConstraintIsCheckedAgainstTheTarget() {
    RenderedChart r = renderer.render(request("kubeversion"));
    assertThat(r.resources().get(0).yaml()).contains("kubeVersion: \"v1.35.0\"").contains("sidecars: native");

    RenderedChart older = renderer.render(request("kubeversion").withKubeVersion("v1.33.2"));
    assertThat(older.resources().get(0).yaml()).contains("kubeVersion: \"v1.33.2\"").contains("sidecars: classic");

    assertThatThrownBy(() -> renderer.render(request("kubeversion").withKubeVersion("1.30.0")))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.problem()).isEqualTo("chart kubeversion 4.1.0 requires Kubernetes >=1.32.0-0, but the target runs v1.30.0");
          assertThat(e.hint()).contains(">=1.32.0-0");
        });
  }

  @Test
  void lookupFindsNothingAndNoClusterIsContacted() {
    RenderedChart r = renderer.render(request("lookup"));

    Manifest secret = r.resources().stream().filter(m -> m.kind().equals("Secret")).findFirst().orElseThrow();
    assertThat(secret.yaml()).contains("origin: bmV3"); // "new": nothing was found
    Manifest notes = r.resources().stream().filter(m -> m.kind().equals("ConfigMap")).findFirst().orElseThrow();
    assertThat(notes.yaml())
        .contains("note: \"lookup happens client-side: kept\"")
        .contains("# the word lookup outside template actions is left alone")
        .contains("nodes: \"0\"");
  }

  @Test
  void hooksAreSeparatedFromResources() {
    RenderedChart r = renderer.render(request("hooks"));

    assertThat(ids(r.resources())).containsExactly("Deployment/rel-app");
    assertThat(ids(r.hooks()))
        .containsExactlyInAnyOrder("Job/rel-prepare", "ConfigMap/rel-installed", "Job/rel-migrate", "Pod/rel-test-connection");
    assertThat(String.join("\n", r.hooks().stream().map(Manifest::yaml).toList()))
        .contains("\"helm.sh/hook\": pre-install")
        .contains("\"helm.sh/hook-delete-policy\": before-hook-creation,hook-succeeded")
        .contains("helm.sh/hook: post-install,post-upgrade")
        .contains("helm.sh/hook: pre-upgrade") // from values
        .contains("helm.sh/hook-weight: \"5\"")
        .doesNotContain(TemplateRewrites.HOOK_MARKER);
  }

  @Test
  void targetApiVersionsAnswerCapabilitiesChecks() {
    RenderedChart plain = renderer.render(request("capabilities"));
    assertThat(ids(plain.resources())).containsExactly("ConfigMap/rel-capabilities");
    assertThat(plain.resources().get(0).yaml())
        .contains("appsV1: \"true\"")
        .contains("certManager: \"false\"")
        .contains("policy_v1: \"true\"")
        .contains("gateway-networking-k8s-io_v1: \"false\"");

    RenderedChart withApis = renderer.render(request("capabilities").withApiVersions(List.of(
        "cert-manager.io/v1", "monitoring.coreos.com/v1/ServiceMonitor", "gateway.networking.k8s.io/v1")));
    assertThat(ids(withApis.resources()))
        .containsExactlyInAnyOrder("ConfigMap/rel-capabilities", "ServiceMonitor/rel-metrics", "Certificate/rel-serving-cert");
    Manifest cm = withApis.resources().stream().filter(m -> m.kind().equals("ConfigMap")).findFirst().orElseThrow();
    assertThat(cm.yaml())
        .contains("appsV1: \"true\"")
        .contains("certManager: \"true\"")
        .contains("policy_v1: \"true\"")
        .contains("gateway-networking-k8s-io_v1: \"true\"");

    // group/version alone does not claim a Kind: as with helm --api-versions
    RenderedChart groupOnly = renderer.render(request("capabilities").withApiVersions(List.of("monitoring.coreos.com/v1")));
    assertThat(ids(groupOnly.resources())).containsExactly("ConfigMap/rel-capabilities");
  }

  @Test
  void valuesBreakingTheSchemaAreBadInput() {
    assertThat(renderer.render(request("schema")).resources()).hasSize(1);

    assertThatThrownBy(() -> renderer.render(request("schema").withValues(Map.of("replicas", "two", "backend", "oracle"))))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.problem())
              .startsWith("values for chart schema 1.0.0 (release rel) break the chart's values.schema.json")
              .contains("replicas")
              .contains("backend");
          assertThat(e.hint()).contains("fix the values");
        });
  }

  @Test
  void symlinkedFoldersArePackagedAndRendered() {
    RenderedChart r = renderer.render(request("symlinked"));

    assertThat(ids(r.crds()))
        .containsExactly(
            "CustomResourceDefinition/jobs.batch.scheduler.cnai.test",
            "CustomResourceDefinition/queues.scheduling.scheduler.cnai.test");
    assertThat(ids(r.resources())).containsExactlyInAnyOrder("Service/rel-scheduler", "Deployment/rel-scheduler");
  }

  @Test
  void crdsOverOneMegabyteSurviveInBothPlaces() throws IOException {
    Path work = packaged.resolve("large");
    Path dir = TestCharts.copy("queues", work);
    String big = LargeCrd.yaml("giants.queues.cnai.test", "Giant", 1_200_000);
    Files.createDirectories(dir.resolve("crds"));
    Files.writeString(dir.resolve("crds/giants.yaml"), big);
    Files.writeString(dir.resolve("templates/crd/titans.yaml"),
        LargeCrd.yaml("titans.queues.cnai.test", "Titan", 1_100_000));
    Path archive = TestCharts.packageDir(dir, work.resolve("out"));

    long start = System.nanoTime();
    RenderedChart r = renderer.render(RenderRequest.of(archive, "rel", "team-a", "1.35.0"));
    long ms = (System.nanoTime() - start) / 1_000_000;

    Manifest giant = r.crds().stream().filter(m -> m.name().equals("giants.queues.cnai.test")).findFirst().orElseThrow();
    Manifest titan = r.crds().stream().filter(m -> m.name().equals("titans.queues.cnai.test")).findFirst().orElseThrow();
    assertThat(giant.yaml().length()).isGreaterThan(1_000_000);
    assertThat(giant.yaml().strip()).isEqualTo(big.strip());
    assertThat(titan.yaml().length()).isGreaterThan(1_000_000);
    assertThat(r.crds()).hasSize(5);
    assertThat(r.size()).isGreaterThan(2_300_000);
    System.out.printf("render of a chart with %d bytes of CRDs: %d ms%n", r.size(), ms);
  }

  @Test
  void badRequestsAreBadInput() {
    Path certs = chart("certs");
    assertThatThrownBy(() -> renderer.render(RenderRequest.of(certs, "Rel_1", "team-a", "1.35.0")))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.problem()).contains("release name 'Rel_1'");
        });
    assertThatThrownBy(() -> renderer.render(RenderRequest.of(certs, "rel", "team-a", "latest")))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.problem()).contains("Kubernetes version 'latest'"));
    assertThatThrownBy(() -> renderer.render(RenderRequest.of(certs, "rel", "team-a", "1.35.0").withApiVersions(List.of("cert manager"))))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.problem()).contains("API version 'cert manager'"));
    assertThatThrownBy(() -> renderer.render(RenderRequest.of(packaged.resolve("nope.tgz"), "rel", "team-a", "1.35.0")))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.problem()).contains("nope.tgz does not exist");
        });
  }

  @Test
  void notAChartArchiveIsBadInput() throws IOException {
    Path junk = Files.writeString(packaged.resolve("junk.tgz"), "not gzip");
    assertThatThrownBy(() -> renderer.render(RenderRequest.of(junk, "rel", "team-a", "1.35.0")))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.problem()).contains("is not a readable chart archive");
        });
  }

  @Test
  void templateErrorsAreFailuresWithHelmsMessage() throws IOException {
    Path dir = TestCharts.copy("certs", packaged.resolve("broken"));
    Files.writeString(dir.resolve("templates/broken.yaml"), "kind: {{ required \"set .Values.mustHave\" .Values.mustHave }}\n");
    Path archive = TestCharts.packageDir(dir, packaged.resolve("broken/out"));

    assertThatThrownBy(() -> renderer.render(RenderRequest.of(archive, "rel", "team-a", "1.35.0")))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE);
          assertThat(e.problem()).contains("rendering chart certs 1.4.0 (release rel) failed").contains("set .Values.mustHave");
        });
  }

  @Test
  void apiVersionCheckWithAComputedArgumentIsAnsweredWithTheTargetApis() throws IOException {
    Path dir = TestCharts.copy("capabilities", packaged.resolve("computed"));
    Files.writeString(dir.resolve("templates/computed.yaml"),
        "{{- if .Capabilities.APIVersions.Has (printf \"%s/v1\" \"cert-manager.io\") }}\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: computed\n{{- end }}\n");
    Path archive = TestCharts.packageDir(dir, packaged.resolve("computed/out"));

    RenderRequest plain = RenderRequest.of(archive, "rel", "team-a", "1.35.0");
    assertThat(ids(renderer.render(plain).resources())).doesNotContain("ConfigMap/computed");
    assertThat(ids(renderer.render(plain.withApiVersions(List.of("cert-manager.io/v1"))).resources())).contains("ConfigMap/computed");
  }

  @Test
  void apiVersionCheckInAFormCnaiCannotAnswerIsRefusedWithWhereAndWhatToDo() throws IOException {
    Path dir = TestCharts.copy("capabilities", packaged.resolve("piped"));
    Files.writeString(dir.resolve("templates/piped.yaml"),
        "# a pipeline hands Has its argument\n"
            + "{{- if \"cert-manager.io/v1\" | .Capabilities.APIVersions.Has }}\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: piped\n{{- end }}\n");
    Path archive = TestCharts.packageDir(dir, packaged.resolve("piped/out"));

    assertThat(renderer.render(RenderRequest.of(archive, "rel", "team-a", "1.35.0")).resources()).isNotEmpty();
    assertThatThrownBy(() -> renderer.render(
            RenderRequest.of(archive, "rel", "team-a", "1.35.0").withApiVersions(List.of("cert-manager.io/v1"))))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE);
          assertThat(e.problem()).contains("chart capabilities 0.7.0").contains("in 1 place(s)").contains("templates/piped.yaml:2");
          assertThat(e.hint()).contains("--set rel.").doesNotContainPattern("[A-Z][a-z]+[A-Z][a-z]+(Renderer|Workspace|Rewrites)");
        });
  }

  @Test
  void brokenDefaultKubeconfigIsExplained() {
    // what helm-java answers when $KUBECONFIG names a missing current-context (seen with helm-java 0.0.21);
    // the message itself; KubeconfigIsolationTest runs the real case in a child JVM
    RenderRequest r = RenderRequest.of(Path.of("x.tgz"), "rel", "team-a", "1.35.0");
    CnaiException e = HelmJavaRenderer.translate(new IllegalStateException(
        "invalid configuration: context was not found for specified context: gone\n\nUse --debug flag to render out invalid YAML"),
        "certs 1.4.0", r);

    assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE);
    assertThat(e.problem()).isEqualTo("cannot render chart certs 1.4.0: helm-java reads the default kubeconfig even to render, "
        + "and it is broken: invalid configuration: context was not found for specified context: gone");
    assertThat(e.hint()).contains("kubectl config use-context");
  }

  @Test
  void helmTwoFormatChartWithRequirementsYaml() {
    RenderedChart off = renderer.render(request("legacy"));
    assertThat(ids(off.resources())).containsExactly("Service/rel-core");
    assertThat(off.crds()).isEmpty();

    RenderedChart on = renderer.render(request("legacy").withValues(Map.of("legacysub", Map.of("enabled", true))));
    assertThat(ids(on.resources())).containsExactlyInAnyOrder("Service/rel-core", "Deployment/rel-serving");
    assertThat(ids(on.crds())).containsExactly("CustomResourceDefinition/featureservers.legacy.cnai.test");
  }
}
