package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeRegistries;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.RegistryMirror;
import io.cnai.installer.charts.LocalOciRegistry;
import io.cnai.installer.images.BuiltImage;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import io.cnai.installer.images.JibImageBuilder;
import io.cnai.installer.images.Registry;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Images cnai builds, pulled by a real node through the containerd mirror: a local cluster with
 * its own registry ({@code --local-registry}), an image built by cnai (no daemon) and pushed as
 * {@code docker.io/library/busybox:1.36} and one as {@code ghcr.io/cnai/sleeper:1}; pods that name
 * them unchanged run (the kubelet reports the pushed digest), and one naming an image the registry
 * lacks fails to pull; an OCI archive cnai wrote, imported with {@code ctr}, runs by its name.
 * Not run (with the reason) without root, the node binaries, the registry binary or the OS
 * packages.
 */
@Tag("sim")
@Tag("nodes")
class LocalMirrorTest {

  @Test
  void podsRunImagesPulledThroughTheMirror() throws Exception {
    Path home = Files.createTempDirectory("cnai-mirror");
    NodeBinaries binaries = NodeBinaries.fromEnvironment();
    LocalProvider provider = new LocalProvider(home, SimBinaries.fromEnvironment(), binaries, Clock.systemUTC());
    List<String> missing = new ArrayList<>(provider.missing());
    if (!Files.isExecutable(binaries.registry())) {
      missing.add(binaries.registry() + " (run installer/tools/build-registry.sh)");
    }
    if (!missing.isEmpty()) {
      Files.delete(home);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "not run: real nodes with a registry need " + missing);

    String name = "img-mirror-" + ProcessHandle.current().pid();
    Path work = Files.createTempDirectory("cnai-mirror-work");
    try {
      long t0 = System.nanoTime();
      SimCluster cluster = provider.start(ClusterRequest.of(name, new NodeTopology(1, 0, 8, GpuProduct.of(GpuProduct.DEFAULT)))
          .withRegistries(new NodeRegistries(List.of(), true)));
      System.out.printf("[mirror] cluster %s with its registry created in %d ms%n", name, ms(t0));
      String url = provider.localRegistry(name).orElseThrow();
      Registry registry = Registry.parse(url);
      Path hosts = cluster.layout().root().resolve("n0/certs.d/docker.io/hosts.toml");
      assertThat(Files.readString(hosts)).contains("server = \"" + url + "/v2/docker.io\"").contains("override_path = true");

      Path greeting = Files.writeString(work.resolve("greeting.txt"), "hello from an image cnai built\n");
      JibImageBuilder builder = new JibImageBuilder(work.resolve("cache"));
      ImageSpec hello = ImageSpec.of(ImageRef.parse("docker.io/library/busybox:1.36"), ImageSpec.Base.busybox())
          .withLayers(List.of(new ImageSpec.Layer(greeting, "/greeting.txt")))
          .withCmd(List.of("cat", "/greeting.txt"));
      long b0 = System.nanoTime();
      BuiltImage pushed = builder.push(hello, registry, hello.name().inMirror(registry.host()));
      long b1 = System.nanoTime();
      ImageSpec sleeper = ImageSpec.of(ImageRef.parse("ghcr.io/cnai/sleeper:1"), ImageSpec.Base.busybox())
          .withEntrypoint(List.of("/bin/sleep")).withCmd(List.of("3600"));
      builder.push(sleeper, registry, sleeper.name().inMirror(registry.host()));
      System.out.printf("[mirror] built and pushed %s in %d ms (%d bytes, %d layers); second image %d ms%n",
          pushed.reference(), (b1 - b0) / 1_000_000, pushed.bytes(), pushed.layers(), ms(b1));
      assertThat(registry.repositories()).contains("docker.io/library/busybox", "ghcr.io/cnai/sleeper");

      try (KubernetesClient client = cluster.cluster().access().open()) {
        long p0 = System.nanoTime();
        client.pods().inNamespace("default").resource(pod("hello", "docker.io/library/busybox:1.36")).create();
        Pod done = client.pods().inNamespace("default").withName("hello").waitUntilCondition(
            p -> p != null && p.getStatus() != null
                && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())),
            120, TimeUnit.SECONDS);
        long p1 = System.nanoTime();
        assertThat(done.getStatus().getPhase()).as("pod status %s", done.getStatus()).isEqualTo("Succeeded");
        assertThat(client.pods().inNamespace("default").withName("hello").getLog())
            .isEqualTo("hello from an image cnai built\n");
        ContainerStatus cs = done.getStatus().getContainerStatuses().get(0);
        assertThat(cs.getImage()).isEqualTo("docker.io/library/busybox:1.36");
        assertThat(cs.getImageID()).as("the digest cnai pushed").endsWith(pushed.digest());

        long s0 = System.nanoTime();
        client.pods().inNamespace("default").resource(pod("sleeper", "ghcr.io/cnai/sleeper:1")).create();
        client.pods().inNamespace("default").withName("sleeper").waitUntilCondition(
            p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()), 120, TimeUnit.SECONDS);
        long s1 = System.nanoTime();
        System.out.printf("[mirror] pod create->Succeeded (pull included) %d ms; create->Running with a pulled image %d ms%n",
            (p1 - p0) / 1_000_000, (s1 - s0) / 1_000_000);
        Long registryRss = provider.nodeMemory(name).get(LocalProvider.REGISTRY);
        assertThat(registryRss).as("the registry runs with the cluster").isNotNull();
        System.out.printf("[mirror] registry RSS %d MiB%n", registryRss / (1024 * 1024));

        // the archive path: an OCI archive cnai wrote, imported with ctr, run without a pull
        // (other content than the pushed image: an image whose id the node has already is another case)
        ImageSpec tarred = hello.withName(ImageRef.parse("cnai.local/tarred:1")).withEnv(java.util.Map.of("FROM", "archive"));
        builder.toTar(tarred, work.resolve("tarred.tar"));
        Commands.Result imported = Commands.run(List.of(binaries.ctr().toString(), "--address",
            cluster.layout().root().resolve("n0/containerd.sock").toAbsolutePath().toString(), "--namespace", "k8s.io",
            "images", "import", work.resolve("tarred.tar").toString()), 60);
        assertThat(imported.ok()).as(imported.output()).isTrue();
        client.pods().inNamespace("default").resource(new PodBuilder(pod("tarred", "cnai.local/tarred:1"))
            .editSpec().editFirstContainer().withImagePullPolicy("Never").endContainer().endSpec().build()).create();
        Pod tarredDone = client.pods().inNamespace("default").withName("tarred").waitUntilCondition(
            p -> p != null && p.getStatus() != null
                && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())),
            90, TimeUnit.SECONDS);
        String images = Commands.run(List.of(binaries.ctr().toString(), "--address",
            cluster.layout().root().resolve("n0/containerd.sock").toAbsolutePath().toString(), "--namespace", "k8s.io",
            "images", "ls"), 30).output();
        assertThat(tarredDone.getStatus().getPhase()).as("pod status %s; import: %s; images: %s", tarredDone.getStatus(),
            imported.output(), images).isEqualTo("Succeeded");
        assertThat(client.pods().inNamespace("default").withName("tarred").getLog()).isEqualTo("hello from an image cnai built\n");

        // an image the registry does not hold is not pulled from anywhere else, and upstream is not
        // waited for
        long a0 = System.nanoTime();
        client.pods().inNamespace("default").resource(pod("absent", "docker.io/library/absent:1")).create();
        Pod absent = client.pods().inNamespace("default").withName("absent").waitUntilCondition(
            p -> p != null && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getState().getWaiting() != null
                    && List.of("ErrImagePull", "ImagePullBackOff").contains(c.getState().getWaiting().getReason())),
            120, TimeUnit.SECONDS);
        assertThat(absent.getStatus().getPhase()).isEqualTo("Pending");
        System.out.printf("[mirror] an image the registry lacks: %s after %d ms%n",
            absent.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason(), ms(a0));
      }
    } finally {
      long d0 = System.nanoTime();
      provider.delete(name);
      System.out.printf("[mirror] delete %d ms%n", ms(d0));
      String root = home.toAbsolutePath().toString();
      assertThat(ProcessHandle.allProcesses()
          .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(root)).orElse(false))
          .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList()).as("processes left").isEmpty();
      assertThat(LocalProvider.mountsUnder(home.toAbsolutePath())).isEmpty();
      assertThat(Path.of("/run/netns", "cnai-" + name + "-n0")).doesNotExist();
      deleteTree(work);
      deleteTree(home);
    }
  }

  /**
   * Air-gapped: the user's own registry (here the distribution registry on this machine's
   * non-loopback address, which the nodes reach through the host) serves two upstreams through
   * {@code --registry-mirror}: quay.io with images at their upstream path, docker.io below a path.
   */
  @Test
  void anAirGappedUsersRegistryServesTheNodes() throws Exception {
    Path home = Files.createTempDirectory("cnai-airgap");
    NodeBinaries binaries = NodeBinaries.fromEnvironment();
    LocalProvider provider = new LocalProvider(home, SimBinaries.fromEnvironment(), binaries, Clock.systemUTC());
    List<String> missing = new ArrayList<>(provider.missing());
    if (!LocalOciRegistry.available()) {
      missing.add(LocalOciRegistry.binary() + " (run installer/tools/build-registry.sh)");
    }
    String hostIp = Commands.run(List.of("ip", "-4", "-o", "addr", "show", "scope", "global"), 10).output().lines()
        .filter(l -> !l.matches("^\\d+:\\s+cnai.*"))
        .map(l -> l.replaceAll("^.*\\sinet\\s+([0-9.]+)/.*$", "$1"))
        .filter(a -> a.matches("[0-9.]+") && !a.startsWith("10.201.") && !a.startsWith("10.202."))
        .findFirst().orElse(null);
    if (hostIp == null) {
      missing.add("a non-loopback IPv4 address on this machine for the registry");
    }
    if (!missing.isEmpty()) {
      Files.delete(home);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "not run: an air-gapped registry for real nodes needs " + missing);

    String name = "img-airgap-" + ProcessHandle.current().pid();
    Path work = Files.createTempDirectory("cnai-airgap-work");
    try (LocalOciRegistry own = LocalOciRegistry.start(hostIp)) {
      Registry registry = Registry.parse("http://" + own.host());
      JibImageBuilder builder = new JibImageBuilder(work.resolve("cache"));
      ImageSpec tool = ImageSpec.of(ImageRef.parse("quay.io/org/tool:1"), ImageSpec.Base.busybox())
          .withCmd(List.of("echo", "tool from the air-gapped registry"));
      builder.push(tool, registry, new ImageRef(own.host(), "org/tool", "1"));
      ImageSpec air = ImageSpec.of(ImageRef.parse("docker.io/library/air:1"), ImageSpec.Base.busybox())
          .withCmd(List.of("echo", "air from below a path"));
      builder.push(air, registry, new ImageRef(own.host(), "mirror/docker.io/library/air", "1"));

      SimCluster cluster = provider.start(ClusterRequest.of(name, new NodeTopology(1, 0, 8, GpuProduct.of(GpuProduct.DEFAULT)))
          .withRegistries(new NodeRegistries(List.of(
              RegistryMirror.parse("quay.io=http://" + own.host()),
              RegistryMirror.parse("docker.io=http://" + own.host() + "/mirror/docker.io")), false)));
      assertThat(provider.localRegistry(name)).isEmpty();
      assertThat(cluster.layout().root().resolve("n0/certs.d/ghcr.io")).doesNotExist();
      try (KubernetesClient client = cluster.cluster().access().open()) {
        for (String[] p : List.of(new String[] {"tool", "quay.io/org/tool:1", "tool from the air-gapped registry\n"},
            new String[] {"air", "docker.io/library/air:1", "air from below a path\n"})) {
          client.pods().inNamespace("default").resource(pod(p[0], p[1])).create();
          Pod done = client.pods().inNamespace("default").withName(p[0]).waitUntilCondition(
              x -> x != null && x.getStatus() != null
                  && ("Succeeded".equals(x.getStatus().getPhase()) || "Failed".equals(x.getStatus().getPhase())),
              120, TimeUnit.SECONDS);
          assertThat(done.getStatus().getPhase()).as("pod status %s", done.getStatus()).isEqualTo("Succeeded");
          assertThat(client.pods().inNamespace("default").withName(p[0]).getLog()).isEqualTo(p[2]);
        }
      }
    } finally {
      provider.delete(name);
      assertThat(LocalProvider.mountsUnder(home.toAbsolutePath())).isEmpty();
      deleteTree(work);
      deleteTree(home);
    }
  }

  private static Pod pod(String name, String image) {
    return new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(0L)
        .addNewContainer()
        .withName("main")
        .withImage(image)
        .withImagePullPolicy("Always")
        .endContainer()
        .endSpec()
        .build();
  }

  private static long ms(long from) {
    return (System.nanoTime() - from) / 1_000_000;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
