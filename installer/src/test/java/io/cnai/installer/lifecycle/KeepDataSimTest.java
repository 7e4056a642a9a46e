package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shapes of real charts that lost users' data or could not be removed, each on a fixture written
 * here: CRD templates whose descriptions say "define" (Kueue, Trainer), a chart that creates
 * custom resources of the CRDs it ships (kube-prometheus-stack), a manifest that carries its own
 * Namespace beside a PVC (Katib), a hook that fails after creating a webhook configuration, and a
 * controller whose webhooks intercept what is applied beside it, on a cluster where no pod serves.
 */
@SimClusterTest
class KeepDataSimTest {
  @TempDir Path tmp;

  static final String MONITOR_CRD = "monitors.monitoring.cnai.test";

  /** A namespaced CRD {@code <plural>.<group>}, version v1, whose schema keeps every field. */
  static String anyCrd(String group, String kind, String plural) {
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: %2$s.%1$s
        spec:
          group: %1$s
          names: {kind: %3$s, plural: %2$s, singular: %4$s, listKind: %3$sList}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """.formatted(group, plural, kind, kind.toLowerCase(java.util.Locale.ROOT));
  }

  /** A chart shaped like kube-prometheus-stack: a CRD template (whose text says "define"), a custom resource of it, a Deployment. */
  static Path monitorChart(Path dir) throws IOException {
    Path c = Files.createDirectories(dir.resolve("monitor/templates/crds")).getParent().getParent();
    Files.writeString(c.resolve("Chart.yaml"), "apiVersion: v2\nname: monitor\ndescription: Monitoring operator fixture.\nversion: 1.0.0\n");
    Files.writeString(c.resolve("templates/crds/monitors.yaml"), """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: monitors.monitoring.cnai.test
        spec:
          group: monitoring.cnai.test
          names: {kind: Monitor, plural: monitors, singular: monitor, listKind: MonitorList}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  description: Monitors define which endpoints are scraped; define one per workload.
                  type: object
                  properties:
                    spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """);
    Files.writeString(c.resolve("templates/monitor.yaml"), """
        apiVersion: monitoring.cnai.test/v1
        kind: Monitor
        metadata:
          name: {{ .Release.Name }}-self
        spec:
          interval: 30s
        """);
    Files.writeString(c.resolve("templates/operator.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}-operator
        spec:
          replicas: 1
          selector: {matchLabels: {app: monitor}}
          template:
            metadata: {labels: {app: monitor}}
            spec:
              containers: [{name: operator, image: registry.cnai.test/monitor:1}]
        """);
    return c;
  }

  /** A manifest shaped like Katib's: its own Namespace object, a PVC for the database, a Deployment. */
  static final String EXPERIMENTS = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: %1$s
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: experiments-db
        namespace: %1$s
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: experiments-controller
        namespace: %1$s
      spec:
        replicas: 1
        selector: {matchLabels: {app: experiments}}
        template:
          metadata: {labels: {app: experiments}}
          spec:
            containers: [{name: controller, image: registry.cnai.test/experiments:1}]
      """;

  static Lifecycle lifecycle(Path tmp) {
    return TestStack.lifecycle(tmp.resolve("cache"), Progress.silent());
  }

  @Test
  void uninstallKeepsCrdsCustomResourcesNamespacesAndClaims(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start(); StackContext ctx = lifecycle(tmp).open(cluster.cluster().access())) {
      TestStack s = TestStack.builder(repo, tmp.resolve("stack")).prefix("keep")
          .chart("monitor", "monitor", "monitor", monitorChart(tmp.resolve("src")), true,
              "provides:\n  crds: [{group: monitoring.cnai.test, kinds: [Monitor]}]\n")
          .manifest("experiments", "experiments", "experiments.yaml", EXPERIMENTS, "")
          .release("v1", "2026.11", "monitor", "experiments").build();
      new InstallAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(60)).run();
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(MONITOR_CRD).get()).isNotNull();
      monitors(client, "keep-monitor").resource(new GenericKubernetesResourceBuilder().withApiVersion("monitoring.cnai.test/v1")
          .withKind("Monitor").withNewMetadata().withName("users-own").withNamespace("keep-monitor").endMetadata().build()).create();

      new UninstallAction(ctx).run();

      // the CRD whose template said "define", the user's custom resource, and so the namespace that holds it, are still there
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(MONITOR_CRD).get()).isNotNull();
      assertThat(monitors(client, "keep-monitor").withName("users-own").get()).isNotNull();
      assertThat(client.namespaces().withName("keep-monitor").get().getMetadata().getDeletionTimestamp()).isNull();
      // the manifest's own Namespace object stays while it holds the kept claim, and the claim with it
      assertThat(client.namespaces().withName("keep-experiments").get()).isNotNull();
      assertThat(client.namespaces().withName("keep-experiments").get().getMetadata().getDeletionTimestamp()).isNull();
      assertThat(client.persistentVolumeClaims().inNamespace("keep-experiments").withName("experiments-db").get()).isNotNull();
      assertThat(client.apps().deployments().inNamespace("keep-experiments").withName("experiments-controller").get()).isNull();

      // later, --delete-crds finds the CRD that uninstall kept (its inventory went with the stack) by cnai's label
      new UninstallAction(ctx).deleteCrds(true).timeout(Duration.ofSeconds(60)).run();
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName(MONITOR_CRD).get()).isNull();
    } finally {
      client.apiextensions().v1().customResourceDefinitions().withName(MONITOR_CRD).delete();
      client.namespaces().withName("keep-experiments").delete();
      client.namespaces().withName("keep-monitor").delete();
    }
  }

  @Test
  void uninstallWithDeleteCrdsRunsToTheEndAlsoAfterAnInterruption(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    try (LocalChartRepository repo = LocalChartRepository.start(); StackContext ctx = lifecycle(tmp).open(cluster.cluster().access())) {
      TestStack s = TestStack.builder(repo, tmp.resolve("stack")).prefix("crds")
          .chart("monitor", "monitor", "monitor", monitorChart(tmp.resolve("src")), true,
              "provides:\n  crds: [{group: monitoring.cnai.test, kinds: [Monitor]}]\n")
          .release("v1", "2026.11", "monitor").build();
      new InstallAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(60)).run();
      // an earlier uninstall got as far as the CRD and was interrupted: the chart's custom resource went with it
      client.apiextensions().v1().customResourceDefinitions().withName(MONITOR_CRD).delete();
      client.apiextensions().v1().customResourceDefinitions().withName(MONITOR_CRD)
          .waitUntilCondition(x -> x == null, 60, TimeUnit.SECONDS);

      new UninstallAction(ctx).deleteCrds(true).run();
      assertThat(SimState.revisions(client)).isEmpty();
      assertThat(SimState.deployedReleases(client).keySet()).noneMatch(k -> k.startsWith("crds-"));
      assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName()).noneMatch(n -> n.startsWith("crds-"));
      // and once more: nothing left to do is no failure
      new UninstallAction(ctx).deleteCrds(true).run();
    }
  }

  @Test
  void aFailedHookLeavesNothingBehindAndTheFailedInstallIsVisible(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    Path chart = Files.createDirectories(tmp.resolve("src/guard/templates")).getParent();
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: guard\ndescription: A chart whose hook fails.\nversion: 1.0.0\n");
    Files.writeString(chart.resolve("templates/hooks.yaml"), """
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata:
          name: {{ .Release.Name }}-defaults
          annotations: {"helm.sh/hook": pre-install, "helm.sh/hook-weight": "-10"}
        webhooks:
          - name: defaults.guard.cnai.test
            admissionReviewVersions: ["v1"]
            sideEffects: None
            failurePolicy: Ignore
            clientConfig: {url: "https://guard.invalid/mutate"}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{ .Release.Name }}-setup
          annotations: {"helm.sh/hook": pre-install, "helm.sh/hook-weight": "0"}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: setup
                  image: registry.cnai.test/setup:1
                  resources: {limits: {nvidia.com/gpu: 99}}
        """);
    Files.writeString(chart.resolve("templates/app.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata: {mode: strict}\n");
    try (LocalChartRepository repo = LocalChartRepository.start(); StackContext ctx = lifecycle(tmp).open(cluster.cluster().access())) {
      TestStack s = TestStack.builder(repo, tmp.resolve("stack")).prefix("hook")
          .chart("guard", "guard", "guard", chart, true, "")
          .manifest("ledger", "ledger", "ledger.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ledger, namespace: %1$s}\ndata: {a: b}\n", "")
          .release("v1", "2026.11", "guard", "ledger").build();
      assertThatThrownBy(() -> new InstallAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(10)).run())
          .isInstanceOf(CnaiException.class).hasMessageContaining("guard");
      assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("guard-defaults").get())
          .as("the hook's webhook configuration was created").isNotNull();

      // the failed install is visible: every component with how far it got
      StackRevision failed = new HistoryAction(ctx).run().get(0);
      assertThat(failed.status()).isEqualTo(StackRevision.Status.FAILED);
      assertThat(failed.components()).extracting(StackRevision.ComponentRevision::name).containsExactlyInAnyOrder("guard", "ledger");
      assertThat(failed.components()).filteredOn(c -> c.name().equals("guard")).extracting(StackRevision.ComponentRevision::status)
          .containsExactly("failed");
      StackStatus status = new StatusAction(ctx).run();
      assertThat(status.healthy()).isFalse();
      assertThat(status.notes()).anyMatch(n -> n.contains("no stack revision is deployed") && n.contains("FAILED"));
      assertThat(status.components()).extracting(StackStatus.Component::name).containsExactlyInAnyOrder("guard", "ledger");
      // the failed component is not ready, whatever of it is live
      assertThat(status.components()).filteredOn(c -> c.name().equals("guard")).extracting(StackStatus.Component::ready).containsExactly(false);

      new UninstallAction(ctx).run();
      assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("guard-defaults").get()).isNull();
      assertThat(client.batch().v1().jobs().inNamespace("hook-guard").withName("guard-setup").get()).isNull();
    }
  }

  /**
   * Shaped like Kueue 0.19 on a sim cluster: a controller whose first fail-closed webhook intercepts
   * a kind nothing here uses and a later one the pods of every Deployment; a second controller with
   * a fail-closed webhook; a component that needs the first; and one that needs neither. The two
   * are refused, what needs them is not attempted, and the rest of the stack is installed (before,
   * nothing after the first refusal was, not even components that do not need it).
   */
  @Test
  void aWebhookThatNothingCanServeIsNamedAndTheRestIsInstalled(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    Path chart = Files.createDirectories(tmp.resolve("src/admission/templates")).getParent();
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: admission\ndescription: A controller with a pod webhook.\nversion: 1.0.0\n");
    Files.writeString(chart.resolve("templates/webhook.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: {{ .Release.Name }}-webhook}
        spec:
          selector: {app: admission}
          ports: [{port: 443, targetPort: 9443}]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: MutatingWebhookConfiguration
        metadata: {name: {{ .Release.Name }}-pods}
        webhooks:
          - name: mwrapper.admission.cnai.test
            admissionReviewVersions: ["v1"]
            sideEffects: None
            clientConfig:
              service: {name: {{ .Release.Name }}-webhook, namespace: {{ .Release.Namespace }}, path: /mutate-wrapper}
            rules:
              - {apiGroups: [wrappers.cnai.test], apiVersions: [v1], resources: [wrappers], operations: [CREATE]}
          - name: mpod.admission.cnai.test
            admissionReviewVersions: ["v1"]
            sideEffects: None
            clientConfig:
              service: {name: {{ .Release.Name }}-webhook, namespace: {{ .Release.Namespace }}, path: /mutate-pod}
            rules:
              - {apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE]}
        """);
    String gate = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %1$s
          labels: {gates.cnai.test/injection: enabled}
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: gate}
        webhooks:
          - name: vgate.gate.cnai.test
            admissionReviewVersions: ["v1"]
            sideEffects: None
            failurePolicy: Fail
            clientConfig:
              service: {name: gate-webhook, namespace: %1$s, path: /validate}
            rules:
              - {apiGroups: [gates.cnai.test], apiVersions: [v1], resources: [gates], operations: [CREATE, UPDATE]}
        """;
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %2$s, namespace: %1$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %2$s}}
          template:
            metadata: {labels: {app: %2$s}}
            spec:
              containers: [{name: main, image: registry.cnai.test/%2$s:1}]
        """;
    try (LocalChartRepository repo = LocalChartRepository.start(); StackContext ctx = lifecycle(tmp).open(cluster.cluster().access())) {
      TestStack s = TestStack.builder(repo, tmp.resolve("stack")).prefix("hooked")
          .chart("admission", "admission", "admission", chart, true, "")
          .manifest("gate", "shared", "gate.yaml", gate, "")
          .manifest("worker", "shared", "worker.yaml", deployment.replace("%2$s", "worker"), "")
          .manifest("client", "client", "client.yaml", deployment.replace("%2$s", "client"), "dependsOn: [admission]\n")
          .manifest("broken", "broken", "broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Not_A_Name, namespace: %1$s}\n", "")
          .release("v1", "2026.11", "admission", "gate", "worker", "client", "broken").build();
      assertThatThrownBy(() -> new InstallAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(60)).run())
          .isInstanceOf(CnaiException.class)
          .hasMessageStartingWith("3 components failed: admission, gate, broken\n")
          .hasMessageContainingAll("component 'admission' registers admission webhook 'mpod.admission.cnai.test'",
              "1 more of its webhooks fail closed", "served by Service hooked-admission/admission-webhook",
              "no node of this cluster runs containers", "'admission' was not applied, nor what needs it (client)",
              "component 'gate' registers admission webhook 'vgate.gate.cnai.test'", "'gate' was not applied",
              "leave 'admission', 'gate' and what needs them out with a profile",
              // a failure whose message does not name its component is named by it (it read '?')
              "\n- component 'broken': ");
      assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("admission-pods").get()).isNull();
      assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName("gate").get()).isNull();
      assertThat(client.apps().deployments().inNamespace("hooked-client").withName("client").get())
          .as("what needs the refused component is not applied").isNull();
      assertThat(client.apps().deployments().inNamespace("hooked-shared").withName("worker").get())
          .as("what needs neither is installed: no webhook of theirs was registered to intercept it").isNotNull();

      StackRevision failed = new HistoryAction(ctx).run().get(0);
      assertThat(failed.status()).isEqualTo(StackRevision.Status.FAILED);
      assertThat(failed.components()).extracting(StackRevision.ComponentRevision::name, StackRevision.ComponentRevision::status)
          .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("admission", "failed"), org.assertj.core.groups.Tuple.tuple("gate", "failed"),
              org.assertj.core.groups.Tuple.tuple("worker", "deployed"), org.assertj.core.groups.Tuple.tuple("client", "not attempted"),
              org.assertj.core.groups.Tuple.tuple("broken", "failed"));
      StackStatus status = new StatusAction(ctx).run();
      assertThat(status.notes())
          .anyMatch(n -> n.contains("(INSTALL, FAILED) is shown: 3 components failed: admission, gate, broken; run the same install again"));
      // like Katib beside the dashboard in 'kubeflow': the refused one's Namespace was made for the other
      assertThat(status.components()).filteredOn(c -> c.name().equals("gate")).singleElement()
          .satisfies(c -> assertThat(c.drift()).contains("Namespace/hooked-shared exists, but 'gate' did not apply it (it carries no cnai.io/component=gate)")
              .noneMatch(d -> d.contains("changed outside cnai")));
      io.cnai.installer.cli.Cli.Result cli = io.cnai.installer.cli.Cli.run("status", "--kubeconfig", cluster.cluster().kubeconfig().toString());
      assertThat(cli.out()).as("nothing was deployed, so nothing is to be restored")
          .containsPattern("\\d+ difference\\(s\\) from revision 1, which did not complete \\(FAILED\\): see the note above")
          .doesNotContain("to restore them");
      // an upgrade has no deployed revision to start from; it says what the failed install left, and what to do
      assertThatThrownBy(() -> new UpgradeAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(60)).run())
          .isInstanceOf(CnaiException.class)
          .hasMessageContainingAll("no stack revision is deployed on this cluster: the newest, revision 1 (INSTALL, FAILED), says: "
              + "3 components failed: admission, gate, broken", "run the same 'cnai install' again to complete it");
      new UninstallAction(ctx).run();
      assertThat(client.apps().deployments().inNamespace("hooked-shared").withName("worker").get()).isNull();
    }
  }

  /**
   * Shaped like kserve-crd 0.20: its CRDs are in templates (each read from files/ and guarded by a
   * lookup of the live CRD), and nothing else. cnai applies the CRDs and installs the chart without
   * those templates; rendering that chart gave helm-java's null, and the install failed with a
   * NullPointerException (KServe's CRD component on a sim cluster).
   */
  @Test
  void aChartOfCrdTemplatesOnlyIsInstalledAndItsCrdsKept(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    Path chart = Files.createDirectories(tmp.resolve("src/widgetcrd/templates")).getParent();
    Files.createDirectories(chart.resolve("files"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: widgetcrd\ndescription: CRDs only.\nversion: 0.2.0\n");
    Files.writeString(chart.resolve("files/widgets.yaml"), anyCrd("serving.cnai.test", "Widget", "widgets"));
    Files.writeString(chart.resolve("templates/widgets.yaml"), """
        {{- $live := lookup "apiextensions.k8s.io/v1" "CustomResourceDefinition" "" "widgets.serving.cnai.test" -}}
        {{- $mine := true -}}
        {{- if $live -}}
          {{- $by := get (default dict $live.metadata.annotations) "meta.helm.sh/release-name" -}}
          {{- if and $by (ne $by .Release.Name) -}}{{- $mine = false -}}{{- end -}}
        {{- end -}}
        {{- if $mine }}
        {{ .Files.Get "files/widgets.yaml" }}
        {{- end }}
        """);
    try (LocalChartRepository repo = LocalChartRepository.start(); StackContext ctx = lifecycle(tmp).open(cluster.cluster().access())) {
      TestStack s = TestStack.builder(repo, tmp.resolve("stack")).prefix("crdonly")
          .chart("widgetcrd", "widgetcrd", "widgetcrd", chart, true, "").release("v1", "2026.11", "widgetcrd").build();
      new InstallAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(60)).run();

      StackRevision r = new HistoryAction(ctx).run().get(0);
      assertThat(r.status()).isEqualTo(StackRevision.Status.DEPLOYED);
      assertThat(r.components()).extracting(StackRevision.ComponentRevision::status).containsExactly("deployed");
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName("widgets.serving.cnai.test").get()).isNotNull();
      new UninstallAction(ctx).run();
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName("widgets.serving.cnai.test").get())
          .as("uninstall keeps CRDs").isNotNull();
      new UninstallAction(ctx).deleteCrds(true).run();
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName("widgets.serving.cnai.test").get()).isNull();
    }
  }

  /**
   * Shaped like kube-prometheus-stack 88's node exporter and admission webhooks: a probe with
   * {@code httpHeaders:} and nothing, a webhook configuration with {@code annotations:} and a blank
   * line. Read as empty strings, the webhook failed the install after Helm had applied it ('Cannot
   * coerce empty String') and the probe could not be compared ('expected list'); both are null.
   */
  @Test
  void emptyYamlValuesAreNullToInstallAndStatus(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    Path chart = Files.createDirectories(tmp.resolve("src/exporter/templates")).getParent();
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: exporter\ndescription: Exporter fixture.\nversion: 4.0.0\n");
    Files.writeString(chart.resolve("templates/exporter.yaml"), """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: {{ .Release.Name }}-exporter
        spec:
          selector: {matchLabels: {app: exporter}}
          template:
            metadata: {labels: {app: exporter}}
            spec:
              containers:
                - name: exporter
                  image: registry.cnai.test/exporter:1
                  ports: [{name: http-metrics, containerPort: 9100}]
                  livenessProbe:
                    httpGet:
                      httpHeaders:
                      path: /
                      port: http-metrics
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: {{ .Release.Name }}-operator}
        spec:
          selector: {app: exporter}
          ports: [{port: 443, targetPort: 9100}]
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata:
          name:  {{ .Release.Name }}-admission
          annotations:
            {{ .Values.webhookAnnotations }}
          labels:
            app: {{ .Release.Name }}-admission
        webhooks:
          - name: rulevalidate.monitoring.cnai.test
            failurePolicy: Ignore
            admissionReviewVersions: ["v1"]
            sideEffects: None
            clientConfig:
              service: {name: {{ .Release.Name }}-operator, namespace: {{ .Release.Namespace }}, path: /validate}
            rules:
              - {apiGroups: [monitoring.cnai.test], apiVersions: [v1], resources: [rules], operations: [CREATE]}
        """);
    Files.writeString(chart.resolve("values.yaml"), "webhookAnnotations: \"\"\n");
    try (LocalChartRepository repo = LocalChartRepository.start(); StackContext ctx = lifecycle(tmp).open(cluster.cluster().access())) {
      TestStack s = TestStack.builder(repo, tmp.resolve("stack")).prefix("empty")
          .chart("exporter", "exporter", "monitoring", chart, true, "").release("v1", "2026.11", "exporter").build();
      new InstallAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(60)).run();
      StackStatus status = new StatusAction(ctx).run();
      assertThat(status.drift()).isEmpty();
      assertThat(status.healthy()).isTrue();
      new UninstallAction(ctx).run();
    }
  }

  /**
   * An upgrade that leaves a component's chart and values as they were does not send its CRDs
   * again (KubeRay's and Prometheus' are up to 680 KiB; sending 5 MiB again took 16 s of a 42 s
   * upgrade, and a request timed out once); one that went missing is applied again.
   */
  @Test
  void anUpgradeSendsOnlyTheCrdsOfWhatChanged(SimCluster cluster, KubernetesClient client) throws Exception {
    SimState.resetHistory(client);
    java.util.List<String> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Path owner = Files.createDirectories(tmp.resolve("src/rayish/crds")).getParent();
    Files.createDirectories(owner.resolve("templates"));
    Files.writeString(owner.resolve("Chart.yaml"), "apiVersion: v2\nname: rayish\ndescription: An operator with a CRD.\nversion: 1.7.0\n");
    Files.writeString(owner.resolve("crds/clusters.yaml"), anyCrd("ray.cnai.test", "RayCluster", "rayclusters"));
    Files.writeString(owner.resolve("templates/settings.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rayish-settings}\ndata: {a: b}\n");
    try (LocalChartRepository repo = LocalChartRepository.start();
        StackContext ctx = TestStack.lifecycle(tmp.resolve("cache"), (c, ph, m) -> events.add(c + " " + ph + " " + m)).open(cluster.cluster().access())) {
      TestStack s = TestStack.builder(repo, tmp.resolve("stack")).prefix("crdskip")
          .chart("rayish", "rayish", "rayish", owner, true, "")
          .manifest("tuna", "tuna", "tuna.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tuna, namespace: %1$s}\ndata: {a: b}\n", "")
          .manifest("tunb", "tunb", "tunb.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tunb, namespace: %1$s}\ndata: {a: b}\n", "")
          .release("v1", "2026.11", "rayish", "tuna").release("v2", "2026.12", "rayish", "tunb").build();
      new InstallAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(60)).run();
      assertThat(events).contains("rayish APPLY 1 CRD(s), server-side apply");

      events.clear();
      new UpgradeAction(ctx).source(s.planSource("v2")).timeout(Duration.ofSeconds(60)).run();
      assertThat(events).contains("rayish SKIP 1 CRD(s) unchanged since the deployed revision")
          .doesNotContain("rayish APPLY 1 CRD(s), server-side apply");

      // a CRD that went missing is applied again, though the component did not change
      client.apiextensions().v1().customResourceDefinitions().withName("rayclusters.ray.cnai.test").delete();
      client.apiextensions().v1().customResourceDefinitions().withName("rayclusters.ray.cnai.test")
          .waitUntilCondition(java.util.Objects::isNull, 30, TimeUnit.SECONDS);
      events.clear();
      new UpgradeAction(ctx).source(s.planSource("v1")).timeout(Duration.ofSeconds(60)).run();
      assertThat(events).contains("rayish APPLY 1 CRD(s), server-side apply");
      assertThat(client.apiextensions().v1().customResourceDefinitions().withName("rayclusters.ray.cnai.test").get()).isNotNull();
      assertThat(new StatusAction(ctx).run().healthy()).isTrue();
      new UninstallAction(ctx).deleteCrds(true).run();
    }
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      monitors(KubernetesClient client, String ns) {
    return client.genericKubernetesResources("monitoring.cnai.test/v1", "Monitor").inNamespace(ns);
  }
}
