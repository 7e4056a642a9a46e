package io.cnai.installer.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What "ready" means per kind, table-driven, on objects as the API server returns them. */
class ReadinessTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      deployment rolled out      | true  | {apiVersion: apps/v1, kind: Deployment, metadata: {name: d, generation: 2}, spec: {replicas: 2}, status: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2}}
      deployment old generation  | false | {apiVersion: apps/v1, kind: Deployment, metadata: {name: d, generation: 3}, spec: {replicas: 2}, status: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2}}
      deployment unavailable     | false | {apiVersion: apps/v1, kind: Deployment, metadata: {name: d, generation: 1}, spec: {replicas: 1}, status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1}}
      deployment surge left      | false | {apiVersion: apps/v1, kind: Deployment, metadata: {name: d, generation: 1}, spec: {replicas: 1}, status: {observedGeneration: 1, replicas: 2, updatedReplicas: 1, availableReplicas: 1}}
      statefulset ready          | true  | {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: s, generation: 1}, spec: {replicas: 3}, status: {observedGeneration: 1, readyReplicas: 3, updatedReplicas: 3}}
      statefulset partly ready   | false | {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: s, generation: 1}, spec: {replicas: 3}, status: {observedGeneration: 1, readyReplicas: 2, updatedReplicas: 3}}
      daemonset ready            | true  | {apiVersion: apps/v1, kind: DaemonSet, metadata: {name: x, generation: 1}, status: {observedGeneration: 1, desiredNumberScheduled: 4, numberReady: 4, updatedNumberScheduled: 4}}
      daemonset not updated      | false | {apiVersion: apps/v1, kind: DaemonSet, metadata: {name: x, generation: 1}, status: {observedGeneration: 1, desiredNumberScheduled: 4, numberReady: 4, updatedNumberScheduled: 3}}
      job complete               | true  | {apiVersion: batch/v1, kind: Job, metadata: {name: j}, status: {conditions: [{type: Complete, status: 'True'}]}}
      job running                | false | {apiVersion: batch/v1, kind: Job, metadata: {name: j}, status: {active: 1}}
      crd established            | true  | {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: a.b}, status: {conditions: [{type: NamesAccepted, status: 'True'}, {type: Established, status: 'True'}]}}
      crd not established        | false | {apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: a.b}, status: {conditions: [{type: Established, status: 'False'}]}}
      apiservice available       | true  | {apiVersion: apiregistration.k8s.io/v1, kind: APIService, metadata: {name: v1.x}, status: {conditions: [{type: Available, status: 'True'}]}}
      apiservice unavailable     | false | {apiVersion: apiregistration.k8s.io/v1, kind: APIService, metadata: {name: v1.x}, status: {conditions: [{type: Available, status: 'False', reason: FailedDiscoveryCheck}]}}
      configmap exists           | true  | {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
      """)
  void readyPerKind(String name, boolean ready, String yaml) {
    assertThat(Readiness.ready(Applier.parse(yaml))).isEqualTo(ready);
  }

  @Test
  void aFailedJobIsReportedAsFailed() {
    var job = Applier.parse("{apiVersion: batch/v1, kind: Job, metadata: {name: j}, status: {conditions: [{type: Failed, status: 'True', reason: BackoffLimitExceeded, message: too many}]}}");
    assertThat(Readiness.failed(job)).contains("Failed=True", "BackoffLimitExceeded");
  }

  @Test
  void webhookServicesAreThoseOfTheComponent() {
    String yaml = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: w}
        webhooks:
          - name: a.example
            clientConfig: {service: {name: svc, namespace: ns}}
          - name: b.example
            clientConfig: {service: {name: elsewhere, namespace: other}}
          - name: c.example
            clientConfig: {url: "https://x.example"}
        """;
    ObjectRef svc = new ObjectRef("v1", "Service", "ns", "svc");
    assertThat(Readiness.webhookServices(yaml, List.of(svc))).containsExactly(svc);
    assertThat(Readiness.webhookServices(yaml, List.of())).isEmpty();
  }

  @Test
  void aWebhookConfigurationWithAnEmptyAnnotationsKeyIsRead() {
    // shaped like kube-prometheus-stack 88's admission webhooks: 'annotations:' then a line of blanks
    String yaml = "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n"
        + "  name:  stack-admission\n  annotations:\n    \n  labels:\n    app: stack-admission\n    \n"
        + "webhooks:\n  - name: rulemutate.monitoring.cnai.test\n    failurePolicy: Ignore\n"
        + "    clientConfig: {service: {name: stack-operator, namespace: monitoring}}\n";
    ObjectRef svc = new ObjectRef("v1", "Service", "monitoring", "stack-operator");
    assertThat(Readiness.webhookServices(yaml, List.of(svc))).containsExactly(svc);
    assertThat(Applier.parse(yaml).getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(Applier.parse(yaml).getMetadata().getLabels()).containsEntry("app", "stack-admission");
  }
}
