package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeTopology;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real node: the local provider makes a control plane and one node (network namespace,
 * containerd, kubelet), a pod runs from the busybox image cnai built and Succeeds, its log is read
 * through the API server from the kubelet; delete leaves nothing behind. Not run (with the reason)
 * without root, the node binaries or the OS packages.
 */
@Tag("sim")
@Tag("nodes")
class LocalNodeTest {

  @Test
  void aPodRunsOnARealNodeAndDeleteLeavesNothing() throws Exception {
    Path home = Files.createTempDirectory("cnai-local");
    LocalProvider provider =
        new LocalProvider(home, SimBinaries.fromEnvironment(), NodeBinaries.fromEnvironment(), Clock.systemUTC());
    List<String> missing = provider.missing();
    if (!missing.isEmpty()) {
      Files.delete(home);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "not run: real nodes need " + missing);

    String name = "local-" + ProcessHandle.current().pid();
    Map<String, String> sysctlsBefore = sysctls();
    Map<String, Boolean> pathsBefore = globalPaths();
    List<String> linksBefore = links();
    long t0 = System.nanoTime();
    Throwable failure = null;
    List<Path> claimDirs = new ArrayList<>();
    try {
      SimCluster cluster = provider.start(
          ClusterRequest.of(name, new NodeTopology(1, 0, 8, GpuProduct.of(GpuProduct.DEFAULT))));
      long created = System.nanoTime();
      System.out.printf("[local] cluster %s with 1 real node created in %d ms (nodes Ready %s ms after the kubelets started)%n",
          name, ms(t0, created), Files.readString(cluster.layout().root().resolve("nodes-ready-ms")).strip());
      try (KubernetesClient client = cluster.cluster().access().open()) {
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).hasSize(1);
        Node node = nodes.get(0);
        assertThat(SimProvider.ready(node)).isTrue();
        assertThat(node.getStatus().getAddresses())
            .anySatisfy(a -> assertThat(a.getAddress()).startsWith("10.201."));
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo(SimVersions.KUBERNETES);
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");

        long p0 = System.nanoTime();
        client.pods().inNamespace("default").resource(pod("hello",
            "echo hello from $(hostname) on a real node; grep -c . /proc/self/cgroup")).create();
        Pod done = client.pods().inNamespace("default").withName("hello").waitUntilCondition(
            p -> p != null && p.getStatus() != null
                && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())),
            120, TimeUnit.SECONDS);
        long p1 = System.nanoTime();
        assertThat(done.getStatus().getPhase())
            .as("pod status %s; kubelet log:%n%s", done.getStatus(), tail(cluster, "kubelet-" + node.getMetadata().getName()))
            .isEqualTo("Succeeded");
        String log = client.pods().inNamespace("default").withName("hello").getLog();
        assertThat(log).contains("hello from hello on a real node");

        long s0 = System.nanoTime();
        client.pods().inNamespace("default").resource(pod("sleeper", "sleep 3600")).create();
        client.pods().inNamespace("default").withName("sleeper").waitUntilCondition(
            p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()), 120, TimeUnit.SECONDS);
        long s1 = System.nanoTime();
        // kube-proxy serves a ClusterIP Service: a busybox httpd behind it, wget through it (not
        // wget -T: Debian's static busybox 1.35 crashes with it).
        long k0 = System.nanoTime();
        client.pods().inNamespace("default").resource(new PodBuilder(pod("web",
                "mkdir -p /www && echo served by $(hostname) > /www/index.html && exec httpd -f -p 8080 -h /www"))
            .editMetadata().addToLabels("app", "web").endMetadata().build()).create();
        io.fabric8.kubernetes.api.model.Service svc = client.services().inNamespace("default").resource(
            new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80)
                .withNewTargetPort(8080).endPort().endSpec().build()).create();
        String ip = svc.getSpec().getClusterIP();
        // reached by its DNS name: the node's CoreDNS answers from the API server, the search path completes "web"
        client.pods().inNamespace("default").resource(pod("fetch",
            "cat /etc/resolv.conf; timeout 15 nslookup web.default.svc.cluster.local; "
                + "for i in $(seq 1 40); do timeout 5 wget -q -O- http://web/index.html && exit 0; sleep 1; done; exit 1")).create();
        Pod fetch = client.pods().inNamespace("default").withName("fetch").waitUntilCondition(
            p -> p != null && p.getStatus() != null
                && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())),
            300, TimeUnit.SECONDS); // each try bounded: 15 s for the lookup, 5 s per fetch
        String fetched = client.pods().inNamespace("default").withName("fetch").getLog();
        assertThat(fetch.getStatus().getPhase()).as("log of the client: %s%nCoreDNS log:%n%s", fetched,
            tail(cluster, "coredns-" + node.getMetadata().getName())).isEqualTo("Succeeded");
        assertThat(fetched).contains("served by web").contains("search default.svc.cluster.local").contains(ip);
        System.out.printf("[local] Service %s answered through kube-proxy %d ms after the server pod was created%n",
            ip, ms(k0, System.nanoTime()));
        // a Job runs to completion (the Job controller makes its pod, the real node runs it)
        client.batch().v1().jobs().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
            .withNewMetadata().withName("count").endMetadata().withNewSpec().withBackoffLimit(0).withNewTemplate()
            .withSpec(pod("count", "seq 1 3").getSpec()).endTemplate().endSpec().build()).create();
        var job = client.batch().v1().jobs().inNamespace("default").withName("count").waitUntilCondition(
            j -> j != null && j.getStatus() != null && (j.getStatus().getSucceeded() != null && j.getStatus().getSucceeded() == 1
                || j.getStatus().getFailed() != null && j.getStatus().getFailed() > 0), 120, TimeUnit.SECONDS);
        assertThat(job.getStatus().getSucceeded()).as("job status %s", job.getStatus()).isEqualTo(1);

        // the default StorageClass binds a claim to a real directory: one pod writes, the next reads it back
        assertThat(client.storage().v1().storageClasses().withName(SimProvider.STORAGE_CLASS).get().getMetadata().getAnnotations())
            .containsEntry("storageclass.kubernetes.io/is-default-class", "true");
        client.persistentVolumeClaims().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
            .withNewMetadata().withName("data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
            .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources()
            .endSpec().build()).create();
        for (String[] step : List.of(new String[] {"writer", "echo kept across pods > /data/file"}, new String[] {"reader", "cat /data/file"})) {
          client.pods().inNamespace("default").resource(new PodBuilder(pod(step[0], step[1])).editSpec()
              .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().endVolume()
              .editFirstContainer().addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endContainer()
              .endSpec().build()).create();
          Pod ended = client.pods().inNamespace("default").withName(step[0]).waitUntilCondition(
              p -> p != null && p.getStatus() != null
                  && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())),
              120, TimeUnit.SECONDS);
          assertThat(ended.getStatus().getPhase()).as("%s: %s", step[0], ended.getStatus()).isEqualTo("Succeeded");
        }
        assertThat(client.persistentVolumeClaims().inNamespace("default").withName("data").get().getStatus().getPhase()).isEqualTo("Bound");
        assertThat(client.pods().inNamespace("default").withName("reader").getLog()).contains("kept across pods");
        client.persistentVolumes().list().getItems().forEach(pv -> claimDirs.add(Path.of(pv.getSpec().getHostPath().getPath())));
        assertThat(claimDirs).hasSize(1).allMatch(Files::isDirectory);
        Map<String, Long> rss = provider.nodeMemory(name);
        System.out.printf("[local] pod create->Succeeded %d ms, create->Running %d ms; RSS %s MiB%n",
            ms(p0, p1), ms(s0, s1), mib(rss));
      }
      // A crash: kubelet and containerd die with the sleeper's shim and containers still running;
      // delete must find and remove those too.
      SimProcesses processes = new SimProcesses(cluster.layout(), name, Clock.systemUTC(), LocalProvider.NAME);
      String node = name + "-node-0";
      processes.kill("kube-proxy-" + node);
      processes.kill("kubelet-" + node);
      processes.kill("containerd-" + node);
      assertThat(ProcessHandle.allProcesses()
          .filter(h -> h.info().command().map(c -> c.endsWith("containerd-shim-runc-v2")).orElse(false))
          .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(home.toAbsolutePath().toString())).orElse(false))
          .count()).as("the sleeper's shim outlives containerd").isPositive();
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      try {
        deleteAndCheck(provider, home, name, sysctlsBefore, pathsBefore, linksBefore);
        // the claim's directory lives outside the cluster's folder; delete removes it too
        assertThat(claimDirs).noneMatch(Files::exists);
      } catch (Throwable t) {
        if (failure == null) {
          throw t;
        }
        failure.addSuppressed(t);
      }
    }
  }

  private static void deleteAndCheck(LocalProvider provider, Path home, String name, Map<String, String> sysctlsBefore,
      Map<String, Boolean> pathsBefore, List<String> linksBefore) throws IOException {
    {
      long d0 = System.nanoTime();
      provider.delete(name);
      System.out.printf("[local] delete %d ms%n", ms(d0, System.nanoTime()));
      // Nothing is left: processes, mounts, namespace, links, cgroups, kernel settings, paths.
      String root = home.toAbsolutePath().toString();
      assertThat(LocalProvider.mountsUnder(home.toAbsolutePath())).isEmpty();
      assertThat(ProcessHandle.allProcesses()
          .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(root)).orElse(false))
          .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList()).isEmpty();
      assertThat(Path.of("/run/netns", "cnai-" + name + "-n0")).doesNotExist();
      assertThat(links()).isEqualTo(linksBefore);
      for (Path h : LocalProvider.cgroupHierarchies()) {
        assertThat(h.resolve("cnai-" + name + "-n0")).doesNotExist();
      }
      assertThat(sysctls()).isEqualTo(sysctlsBefore);
      assertThat(globalPaths()).isEqualTo(pathsBefore);
      assertThat(Path.of(root, "clusters", name)).doesNotExist();
      deleteTree(home);
    }
  }

  /**
   * Two real nodes: a pod on one reaches a Service whose pod runs on the other, by DNS name (the
   * machine forwards between the nodes' pod ranges: cnai turns ip_forward on for such a cluster and
   * puts it back on delete, which the check after delete compares).
   */
  @Test
  void podsOnTwoRealNodesTalkAcrossThemAndDeleteRestoresForwarding() throws Exception {
    Path home = Files.createTempDirectory("cnai-local2");
    LocalProvider provider =
        new LocalProvider(home, SimBinaries.fromEnvironment(), NodeBinaries.fromEnvironment(), Clock.systemUTC());
    List<String> missing = provider.missing();
    if (!missing.isEmpty()) {
      Files.delete(home);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "not run: real nodes need " + missing);
    String name = "two-" + ProcessHandle.current().pid();
    Map<String, String> sysctlsBefore = sysctls();
    Map<String, Boolean> pathsBefore = globalPaths();
    List<String> linksBefore = links();
    Throwable failure = null;
    try {
      SimCluster cluster = provider.start(ClusterRequest.of(name, new NodeTopology(2, 0, 8, GpuProduct.of(GpuProduct.DEFAULT))));
      try (KubernetesClient client = cluster.cluster().access().open()) {
        List<String> nodes = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).sorted().toList();
        assertThat(nodes).hasSize(2);
        assertThat(LocalProvider.readSysctl(Path.of("/proc/sys/net/ipv4/ip_forward"))).isEqualTo("1");
        client.pods().inNamespace("default").resource(new PodBuilder(pod("far",
                "mkdir -p /www && echo served on the other node > /www/index.html && exec httpd -f -p 8080 -h /www"))
            .editMetadata().addToLabels("app", "far").endMetadata().editSpec().withNodeName(nodes.get(0)).endSpec().build()).create();
        client.services().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
            .withNewMetadata().withName("far").endMetadata().withNewSpec().addToSelector("app", "far").addNewPort().withPort(80)
            .withNewTargetPort(8080).endPort().endSpec().build()).create();
        client.pods().inNamespace("default").resource(new PodBuilder(pod("near",
                "for i in $(seq 1 60); do wget -q -O- http://far/index.html && exit 0; sleep 1; done; exit 1"))
            .editSpec().withNodeName(nodes.get(1)).endSpec().build()).create();
        Pod near = client.pods().inNamespace("default").withName("near").waitUntilCondition(
            p -> p != null && p.getStatus() != null
                && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())),
            120, TimeUnit.SECONDS);
        String log = client.pods().inNamespace("default").withName("near").getLog();
        assertThat(near.getStatus().getPhase()).as("log: %s", log).isEqualTo("Succeeded");
        assertThat(log).contains("served on the other node");
      }
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      try {
        deleteAndCheck(provider, home, name, sysctlsBefore, pathsBefore, linksBefore);
      } catch (Throwable t) {
        if (failure == null) {
          throw t;
        }
        failure.addSuppressed(t);
      }
    }
  }

  /** A busybox pod of the node's own image that runs {@code script} once (restartPolicy Never). */
  static Pod pod(String name, String script) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(0L)
        .addNewContainer()
        .withName("main")
        .withImage(LocalProvider.BUSYBOX_IMAGE)
        .withImagePullPolicy("Never")
        .withCommand("/bin/sh", "-c", script)
        .endContainer()
        .endSpec()
        .build();
  }

  private static Map<String, String> sysctls() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : LocalProvider.SYSCTLS) {
      Path f = Path.of("/proc/sys", s);
      if (Files.isReadable(f)) {
        out.put(s, LocalProvider.readSysctl(f));
      }
    }
    return out;
  }

  private static List<String> links() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("cnai")).sorted().toList();
    }
  }

  private static Map<String, Boolean> globalPaths() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    LocalProvider.GLOBAL_PATHS.forEach(g -> out.put(g, Files.exists(Path.of(g))));
    return out;
  }

  private static String tail(SimCluster c, String id) {
    try {
      List<String> l = Files.readAllLines(c.layout().log(id));
      return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }

  private static Map<String, Long> mib(Map<String, Long> bytes) {
    Map<String, Long> out = new LinkedHashMap<>();
    bytes.forEach((k, v) -> out.put(k, v / (1024 * 1024)));
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
