package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.classroom.Manifests;
import io.cnai.installer.classroom.Size;
import io.cnai.installer.classroom.Student;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.json.Mappers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NetworkPolicies enforced on a real node by cnai's agent (installer/tools/netpol): busybox web
 * servers in two classroom namespaces and one other, each with the classroom's own isolation policy
 * (as {@code cnai classroom create} writes it, with the cluster's pod range). A pod of one student
 * reaches its own namespace's server but not another student's, neither directly nor through a
 * Service; a pod of a namespace that is not a classroom's and the host (a browser's place) still
 * reach it; deleting the policy opens the way again; an egress policy limits where a pod may send.
 * Each refusal is checked after the same path was seen open, so a server that is down cannot pass
 * for a policy. Not run (with the reason) without root, the node binaries or the OS packages.
 */
@Tag("sim")
@Tag("nodes")
class NetworkPolicyLocalTest {
  private static final String A = "class-np-a";
  private static final String B = "class-np-b";
  private static final String FREE = "np-free";

  @Test
  void studentsCannotReachEachOthersServersButTheirOwnNamespaceOthersAndTheHostCan() throws Exception {
    Path home = Files.createTempDirectory("cnai-netpol");
    LocalProvider provider = new LocalProvider(home, SimBinaries.fromEnvironment(), NodeBinaries.fromEnvironment(), Clock.systemUTC());
    List<String> missing = provider.missing();
    if (!missing.isEmpty()) {
      Files.delete(home);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "not run: real nodes need " + missing);

    String name = "np-" + ProcessHandle.current().pid();
    try {
      SimCluster cluster = provider.start(ClusterRequest.of(name, new NodeTopology(1, 0, 8, GpuProduct.of(GpuProduct.DEFAULT))));
      try (KubernetesClient client = cluster.cluster().access().open()) {
        Node node = client.nodes().list().getItems().get(0);
        List<String> podCidrs = node.getSpec().getPodCIDRs();
        assertThat(podCidrs).as("the node records its pod range").hasSize(1).allMatch(c -> c.startsWith("10.202."));

        for (String ns : List.of(A, B, FREE)) {
          NamespaceBuilder nb = new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata();
          if (!ns.equals(FREE)) {
            nb.editMetadata().addToLabels(Manifests.CLASSROOM_LABEL, "true").endMetadata();
          }
          client.namespaces().resource(nb.build()).create();
          client.serviceAccounts().inNamespace(ns).withName("default")
              .waitUntilCondition(java.util.Objects::nonNull, 60, TimeUnit.SECONDS);
          client.pods().inNamespace(ns).resource(new PodBuilder(LocalNodeTest.pod("web",
                  "mkdir -p /www && echo served in " + ns + " > /www/index.html && exec httpd -f -p 8080 -h /www"))
              .editMetadata().addToLabels("app", "web").endMetadata().build()).create();
          client.pods().inNamespace(ns).resource(LocalNodeTest.pod("client", "exec sleep 3600")).create();
          client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
              .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec()
              .build()).create();
        }
        for (String ns : List.of(A, B, FREE)) {
          for (String p : List.of("web", "client")) {
            client.pods().inNamespace(ns).withName(p).waitUntilCondition(
                x -> x != null && x.getStatus() != null && "Running".equals(x.getStatus().getPhase()), 120, TimeUnit.SECONDS);
          }
        }
        String webA = client.pods().inNamespace(A).withName("web").get().getStatus().getPodIP();
        String webB = client.pods().inNamespace(B).withName("web").get().getStatus().getPodIP();
        String svcA = client.services().inNamespace(A).withName("web").get().getSpec().getClusterIP();

        // open before any policy: student b reaches a's server, directly and through its Service
        assertThat(fetch(client, B, "http://" + webA + ":8080/")).as("b -> a before the policy").contains("served in " + A);
        assertThat(fetch(client, B, "http://" + svcA + "/")).as("b -> a's Service before the policy").contains("served in " + A);

        long p0 = System.nanoTime();
        for (String ns : List.of(A, B)) {
          client.network().v1().networkPolicies().inNamespace(ns).resource(classroomPolicy(ns, podCidrs)).create();
        }
        long refusedAfter = awaitRefused(client, B, "http://" + webA + ":8080/", p0);
        System.out.printf("[netpol] classroom policy enforced %d ms after it was created%n", refusedAfter);
        assertThat(fetch(client, B, "http://" + svcA + "/")).as("b -> a's Service").isNull();
        assertThat(fetch(client, A, "http://" + webB + ":8080/")).as("a -> b").isNull();
        assertThat(fetch(client, A, "http://" + webA + ":8080/")).as("a -> a").contains("served in " + A);
        assertThat(fetch(client, A, "http://web." + A + ".svc.cluster.local/")).as("a -> a's Service by name").contains("served in " + A);
        assertThat(fetch(client, FREE, "http://" + webA + ":8080/")).as("another namespace -> a").contains("served in " + A);
        // a pod made after the policy reaches its namespace's server with its first try (no retry):
        // the node's CNI chain told the agent its address before the container started
        client.pods().inNamespace(A).resource(LocalNodeTest.pod("first", "wget -q -O- http://" + webA + ":8080/")).create();
        Pod first = client.pods().inNamespace(A).withName("first").waitUntilCondition(x -> x != null && x.getStatus() != null
            && ("Succeeded".equals(x.getStatus().getPhase()) || "Failed".equals(x.getStatus().getPhase())), 120, TimeUnit.SECONDS);
        assertThat(first.getStatus().getPhase()).as("a new pod's first fetch: %s", client.pods().inNamespace(A).withName("first").getLog())
            .isEqualTo("Succeeded");
        HttpResponse<String> fromHost = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
            .send(HttpRequest.newBuilder(URI.create("http://" + webA + ":8080/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fromHost.body()).as("the host (outside the pods' range) -> a").contains("served in " + A);

        // gone: open again
        client.network().v1().networkPolicies().inNamespace(A).withName("classroom-isolation").delete();
        long d0 = System.nanoTime();
        String open = null;
        while (open == null && System.nanoTime() - d0 < TimeUnit.SECONDS.toNanos(30)) {
          open = fetch(client, B, "http://" + webA + ":8080/");
        }
        assertThat(open).as("b -> a once a's policy is deleted").contains("served in " + A);

        // egress: the free namespace's client may send only to pods labelled app=web in a
        assertThat(fetch(client, FREE, "http://" + webB + ":8080/")).as("free -> b before egress policy").contains("served in " + B);
        client.network().v1().networkPolicies().inNamespace(FREE).resource(Mappers.YAML.readValue("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: only-a}
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
                - to:
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %s}}
                      podSelector: {matchLabels: {app: web}}
                  ports:
                    - port: 8080
            """.formatted(A), NetworkPolicy.class)).create();
        awaitRefused(client, FREE, "http://" + webB + ":8080/", System.nanoTime());
        assertThat(fetch(client, FREE, "http://" + webA + ":8080/")).as("free -> a, allowed by its egress").contains("served in " + A);
        System.out.printf("[netpol] agent RSS %s%n", provider.nodeMemory(name).get("netpol-" + node.getMetadata().getName()));
      }
    } finally {
      provider.delete(name);
      try (var walk = Files.walk(home)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The classroom's own isolation policy for a namespace, as {@code classroom create} writes it. */
  private static NetworkPolicy classroomPolicy(String ns, List<String> podCidrs) throws Exception {
    Student s = new Student(ns.substring("class-".length()), Size.SMALL, null);
    String doc = Manifests.student(s, new Manifests.Settings(Manifests.Settings.DEFAULT_IMAGE, Manifests.Settings.DEFAULT_URL),
            "t", Map.of(), null, podCidrs).stream()
        .filter(d -> d.contains("kind: NetworkPolicy")).findFirst().orElseThrow();
    NetworkPolicy p = Mappers.YAML.readValue(doc, NetworkPolicy.class);
    assertThat(p.getMetadata().getNamespace()).isEqualTo(ns);
    return p;
  }

  /** Polls until {@code url} is refused from {@code ns}'s client; the milliseconds since {@code since}. */
  private static long awaitRefused(KubernetesClient client, String ns, String url, long since) throws Exception {
    while (System.nanoTime() - since < TimeUnit.SECONDS.toNanos(30)) {
      if (fetch(client, ns, url) == null) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
      }
    }
    throw new AssertionError("still reached " + url + " from " + ns + " 30 s after the policy");
  }

  /** What the client pod of {@code ns} fetched from {@code url}; null when it could not. */
  private static String fetch(KubernetesClient client, String ns, String url) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch w = client.pods().inNamespace(ns).withName("client").writingOutput(out).writingError(err)
        .exec("sh", "-c", "timeout 3 wget -q -O- " + url)) {
      int code = w.exitCode().get(30, TimeUnit.SECONDS);
      return code == 0 ? out.toString(StandardCharsets.UTF_8) : null;
    }
  }
}
