package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.helm.Manifest;
import io.cnai.installer.helm.RenderedChart;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What admission webhooks the rendered objects register, what they intercept, and the order that follows. */
class WebhooksTest {
  static final String POD_WEBHOOK = """
      apiVersion: admissionregistration.k8s.io/v1
      kind: MutatingWebhookConfiguration
      metadata: {name: queues-mutating}
      webhooks:
        - name: mpod.queues.cnai.test
          clientConfig: {service: {name: queues-webhook, namespace: queues-system}}
          rules:
            - {apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE]}
        - name: mjob.queues.cnai.test
          failurePolicy: Ignore
          rules:
            - {apiGroups: [batch], apiVersions: [v1], resources: [jobs], operations: [CREATE, UPDATE]}
      """;

  static Manifest m(String apiVersion, String kind, String name, String yaml) {
    return new Manifest(apiVersion, kind, null, name, yaml);
  }

  static Deployer.Item item(String name, int wave, Manifest... objects) {
    ComponentSpec spec = new ComponentSpec(name, name + "-system", wave, List.of(), "helm", "https://charts.cnai.test", name, "1.0.0", null,
        "sha256:0", true, List.of(), java.util.Map.of(), "sha256:1");
    return new Deployer.Item(spec, new RenderedChart(List.of(), List.of(objects), List.of()), null, List.of(), java.util.Set::of);
  }

  @Test
  void webhooksAreReadFromTheRenderedConfiguration() {
    List<Webhooks.Webhook> hooks = Webhooks.of(List.of(m("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "queues-mutating", POD_WEBHOOK)));
    assertThat(hooks).extracting(Webhooks.Webhook::name).containsExactly("mpod.queues.cnai.test", "mjob.queues.cnai.test");
    assertThat(hooks.get(0).failClosed()).isTrue();
    assertThat(hooks.get(0).service()).isEqualTo("queues-system/queues-webhook");
    assertThat(hooks.get(1).failClosed()).isFalse();
    assertThat(hooks.get(1).service()).isNull();
  }

  @Test
  void aPodWebhookInterceptsWorkloadsAndAJobWebhookJobsOnly() {
    List<Webhooks.Webhook> hooks = Webhooks.of(List.of(m("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "q", POD_WEBHOOK)));
    Manifest deployment = m("apps/v1", "Deployment", "trainer", "");
    Manifest job = m("batch/v1", "Job", "train", "");
    Manifest configMap = m("v1", "ConfigMap", "settings", "");
    assertThat(hooks.get(0).intercepts(deployment)).isTrue();
    assertThat(hooks.get(0).intercepts(configMap)).isFalse();
    assertThat(hooks.get(1).intercepts(job)).isTrue();
    assertThat(hooks.get(1).intercepts(m("apps/v1", "StatefulSet", "db", ""))).isFalse();
    assertThat(Webhooks.Rule.plural("NetworkPolicy")).isEqualTo("networkpolicies");
    assertThat(Webhooks.Rule.plural("Ingress")).isEqualTo("ingresses");
    assertThat(Webhooks.Rule.plural("Gateway")).isEqualTo("gateways");
  }

  @Test
  void aComponentWhoseWebhooksInterceptItsNeighboursGoesFirstInItsWave() {
    Deployer.Item queues = item("queues", 1, m("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "q", POD_WEBHOOK),
        m("apps/v1", "Deployment", "queues-manager", ""));
    Deployer.Item trainer = item("trainer", 1, m("apps/v1", "Deployment", "trainer", ""));
    Deployer.Item settings = item("settings", 1, m("v1", "ConfigMap", "settings", ""));
    Deployer.Item certs = item("certs", 0, m("apps/v1", "Deployment", "certs", ""));
    List<List<Deployer.Item>> ordered = Webhooks.ordered(List.of(List.of(certs), List.of(trainer, queues, settings)));
    assertThat(ordered).extracting(w -> w.stream().map(i -> i.spec().name()).toList())
        .containsExactly(List.of("certs"), List.of("queues"), List.of("trainer", "settings"));
    // a wave where nobody's webhook intercepts a neighbour stays as it is
    assertThat(Webhooks.ordered(List.of(List.of(trainer, settings)))).hasSize(1);
  }
}
