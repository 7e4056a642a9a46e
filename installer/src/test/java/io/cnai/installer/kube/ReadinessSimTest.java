package io.cnai.installer.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.cluster.testkit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server-side apply and readiness watches against a real API server and scheduler. */
@SimClusterTest
class ReadinessSimTest {
  private static String deployment(String name, String gpus) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
                - name: c
                  image: registry.cnai.test/c:1
                  resources: {limits: {nvidia.com/gpu: %2$s}}
        """.formatted(name, gpus);
  }

  @Test
  void readyWorkloadsAndWebhookEndpoints(KubernetesClient client, TestNamespace ns) {
    Applier a = new Applier(client);
    ObjectRef d = a.apply(deployment("hook", "1"), ns.name(), Map.of(Applier.COMPONENT_LABEL, "t"), Map.of());
    ObjectRef svc = a.apply("""
        apiVersion: v1
        kind: Service
        metadata: {name: hook}
        spec: {selector: {app: hook}, ports: [{port: 443, targetPort: 8443}]}
        """, ns.name(), Map.of(), Map.of());
    assertThat(d.namespace()).isEqualTo(ns.name());
    assertThat(client.apps().deployments().inNamespace(ns.name()).withName("hook").get().getMetadata().getManagedFields())
        .anyMatch(f -> "cnai".equals(f.getManager()) && "Apply".equals(f.getOperation()));
    Readiness r = new Readiness(client);
    r.await("t", List.of(d), Duration.ofSeconds(60));
    r.awaitEndpoints("t", svc, Duration.ofSeconds(60));

    ObjectRef lonely = a.apply("""
        apiVersion: v1
        kind: Service
        metadata: {name: lonely}
        spec: {selector: {app: nobody}, ports: [{port: 443}]}
        """, ns.name(), Map.of(), Map.of());
    assertThatThrownBy(() -> r.awaitEndpoints("t", lonely, Duration.ofSeconds(3)))
        .isInstanceOf(CnaiException.class).hasMessageContaining("Service/" + ns.name() + "/lonely, which a webhook calls, has no ready endpoint");
  }

  @Test
  void notReadyNamesTheObjectTheConditionAndTheEvents(KubernetesClient client, TestNamespace ns) {
    Applier a = new Applier(client);
    ObjectRef d = a.apply(deployment("greedy", "99"), ns.name(), Map.of(), Map.of());
    assertThatThrownBy(() -> new Readiness(client).await("t", List.of(d), Duration.ofSeconds(6)))
        .isInstanceOf(CnaiException.class)
        .hasMessageContaining("Deployment/" + ns.name() + "/greedy is not ready after 6s")
        .hasMessageContaining("PodScheduled=False (Unschedulable")
        .hasMessageContaining("Insufficient nvidia.com/gpu")
        .hasMessageContaining("recent events:");
  }

  @Test
  void objectsReadyAlreadyAreReadOnceNotWatched(KubernetesClient client, TestNamespace ns) {
    Applier a = new Applier(client);
    List<ObjectRef> crds = new java.util.ArrayList<>();
    String group = ns.name() + ".cnai.test";
    for (int i = 0; i < 6; i++) {
      crds.add(a.apply("""
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata: {name: things%1$d.%2$s}
          spec:
            group: %2$s
            scope: Namespaced
            names: {plural: things%1$d, singular: thing%1$d, kind: Thing%1$d}
            versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
          """.formatted(i, group), null, Map.of(), Map.of()));
    }
    try {
      new Readiness(client).await("t", crds, Duration.ofSeconds(60));
      // Established now: a second wait reads each once (a GET of the object, not an informer's list and watch)
      List<String> requests = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      try (KubernetesClient counting = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration())
          .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", new io.fabric8.kubernetes.client.http.Interceptor() {
            @Override
            public void before(io.fabric8.kubernetes.client.http.BasicBuilder builder, io.fabric8.kubernetes.client.http.HttpRequest request,
                RequestTags tags) {
              requests.add(request.method() + " " + request.uri());
            }
          })).build()) {
        new Readiness(counting).await("t", crds, Duration.ofSeconds(60));
      }
      assertThat(requests).hasSize(6).allMatch(r -> r.startsWith("GET ") && !r.contains("?"));
    } finally {
      crds.forEach(a::delete);
    }
  }

  @Test
  void anUnservedKindIsAClearFailure(KubernetesClient client, TestNamespace ns) {
    assertThatThrownBy(() -> new Applier(client).apply("{apiVersion: nope.cnai.test/v1, kind: Thing, metadata: {name: x}}", ns.name(), Map.of(), Map.of()))
        .isInstanceOf(CnaiException.class).hasMessageContaining("does not serve Thing in nope.cnai.test/v1");
  }
}
