package io.cnai.installer.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

class ObjectDiffTest {
  private static GenericKubernetesResource obj(String yaml) {
    return Applier.parse(yaml);
  }

  @Test
  void namesEachChangedFieldWithBothValuesAndIgnoresBookkeeping() {
    var live = obj("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, resourceVersion: "9", generation: 4, labels: {a: x}}
        spec:
          replicas: 3
          template: {spec: {containers: [{name: c, image: "img:2"}]}}
        """);
    var deployed = obj("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, resourceVersion: "8", generation: 3}
        spec:
          replicas: 1
          template: {spec: {containers: [{name: c, image: "img:1"}]}}
        """);
    assertThat(ObjectDiff.diff(live, deployed)).containsExactly(
        "metadata.labels: {\"a\":\"x\"} in the cluster, absent as deployed",
        "spec.replicas: 3 in the cluster, 1 as deployed",
        "spec.template.spec.containers[0].image: 'img:2' in the cluster, 'img:1' as deployed");
    assertThat(ObjectDiff.diff(live, live)).isEmpty();
  }

  @Test
  void injectedCaBundlesAreNotDrift() {
    var live = obj("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: w}
        webhooks: [{name: a.b.c, clientConfig: {caBundle: TElWRQ==, service: {name: s, namespace: n}}}]
        """);
    var deployed = obj("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata: {name: w}
        webhooks: [{name: a.b.c, clientConfig: {caBundle: Cg==, service: {name: s, namespace: n}}}]
        """);
    assertThat(ObjectDiff.diff(live, deployed)).isEmpty();
  }

  /**
   * Kubeflow's notebook controller ships aggregated ClusterRoles with {@code rules: []}; the
   * control plane fills the rules in. Seen as drift on the real 2026.11 manifests: it is not. Other
   * changes to such a role, and rules of a plain ClusterRole, still are.
   */
  @Test
  void rulesOfAnAggregatedClusterRoleAreTheControlPlanes() {
    var live = obj("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: admin-view, labels: {team: ml}}
        aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.example/aggregate-to-admin: "true"}}]}
        rules: [{apiGroups: [kubeflow.org], resources: [notebooks], verbs: [get, list]}]
        """);
    var deployed = obj("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: admin-view}
        aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.example/aggregate-to-admin: "true"}}]}
        rules: []
        """);
    assertThat(ObjectDiff.diff(live, deployed)).containsExactly("metadata.labels: {\"team\":\"ml\"} in the cluster, absent as deployed");
    var plainLive = obj("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: plain}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
        """);
    var plainDeployed = obj("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: plain}
        rules: []
        """);
    assertThat(ObjectDiff.diff(plainLive, plainDeployed)).hasSize(1).first().asString().startsWith("rules: ");
  }

  @Test
  void listsAtMostFiveFieldsAndCountsTheRest() {
    StringBuilder a = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n");
    StringBuilder b = new StringBuilder(a);
    for (int i = 0; i < 8; i++) {
      a.append("  k").append(i).append(": live\n");
      b.append("  k").append(i).append(": deployed\n");
    }
    assertThat(ObjectDiff.diff(obj(a.toString()), obj(b.toString()))).hasSize(6).last().isEqualTo("and 3 more field(s)");
  }
}
