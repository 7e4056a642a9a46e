package io.cnai.installer.cluster.sim;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.ClusterSummary;
import io.cnai.installer.cluster.NodeTopology;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code sim} provider: a real control plane (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, built by installer/tools/build-sim.sh) on this machine, with nodes played by
 * kwok. Pods are scheduled, quotas and RBAC enforced, controllers reconcile, for real; containers
 * do not run. Clusters live under {@code <home>/clusters/<name>/}; their processes outlive cnai.
 */
public final class SimProvider implements ClusterProvider {
  static final Duration ETCD_TIMEOUT = Duration.ofSeconds(60);
  static final Duration APISERVER_TIMEOUT = Duration.ofSeconds(120);
  static final Duration PART_TIMEOUT = Duration.ofSeconds(60);
  static final Duration NODES_TIMEOUT = Duration.ofSeconds(90);

  private final Path home;
  private final SimBinaries binaries;
  private final Clock clock;

  public SimProvider(Path home, SimBinaries binaries, Clock clock) {
    this.home = home;
    this.binaries = binaries;
    this.clock = clock;
  }

  /** $CNAI_HOME (or ~/.cnai), $CNAI_TOOLS (or ~/.cache/cnai/tools), the system clock. */
  public static SimProvider fromEnvironment() {
    return new SimProvider(defaultHome(System.getenv()), SimBinaries.fromEnvironment(), Clock.systemUTC());
  }

  /** {@code $CNAI_HOME}, else {@code ~/.cnai}: where cnai keeps the clusters it made. */
  public static Path home() {
    return defaultHome(System.getenv());
  }

  static Path defaultHome(Map<String, String> env) {
    String h = env.get("CNAI_HOME");
    return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".cnai");
  }

  @Override
  public String name() {
    return "sim";
  }

  @Override
  public String creating(ClusterRequest r) {
    NodeTopology t = r.nodes();
    return String.format("Creating sim cluster '%s': %d nodes, %d of them with %d %s ...", r.name(), t.nodes(), t.gpuNodes(),
        t.gpusPerNode(), t.gpu().product());
  }

  public SimBinaries binaries() {
    return binaries;
  }

  SimLayout layout(String name) {
    ClusterRequest.checkName(name);
    return new SimLayout(home.resolve("clusters").resolve(name));
  }

  @Override
  public Cluster create(ClusterRequest request) {
    return start(request, Map.of()).cluster();
  }

  /**
   * Creates and starts the cluster and returns its handle. {@code extra} settings are written to
   * its cluster.properties (the test kit records its owner there).
   */
  public SimCluster start(ClusterRequest request, Map<String, String> extra) {
    return start(request, extra, ControlPlane.sim(n -> (cluster, processes) -> addNodes(cluster, request.nodes(), processes)));
  }

  /** Adds the nodes once the control plane runs (kwok's, or real ones). */
  interface Nodes {
    void add(Cluster cluster, SimProcesses processes) throws IOException;
  }

  /**
   * How the control plane is set up. sim: everything on 127.0.0.1, kwok plays the nodes. local:
   * the API server listens on {@code address}, an address of this machine that the nodes' network
   * namespaces reach, it has a client certificate for the kubelets, and its own cluster's
   * directory already holds the nodes' records ({@code rootPrepared}); the PKI has certificates
   * for the real nodes of {@code nodeIps} (name to address).
   */
  record ControlPlane(
      String provider,
      String address,
      List<String> extraApiserverArgs,
      boolean kwok,
      boolean rootPrepared,
      Map<String, String> nodeIps,
      java.util.function.Function<SimProcesses, Nodes> nodes) {
    static ControlPlane sim(java.util.function.Function<SimProcesses, Nodes> nodes) {
      return new ControlPlane("sim", "127.0.0.1", List.of(), true, false, Map.of(), nodes);
    }

    boolean loopback() {
      return address.startsWith("127.");
    }
  }

  SimCluster start(ClusterRequest request, Map<String, String> extra, ControlPlane cp) {
    binaries.requirePresent();
    String name = request.name();
    SimLayout layout = layout(name);
    if (!cp.rootPrepared() && Files.exists(layout.root())) {
      boolean runs = open(name).map(c -> c.state() != ClusterSummary.State.STOPPED).orElse(false);
      throw CnaiException.badInput(
          "sim cluster '" + name + "' already exists" + (runs ? " and runs" : " (stopped, left behind)"),
          runs
              ? "use it (KUBECONFIG=" + layout.kubeconfig() + ") or delete it: cnai cluster delete --provider sim --name " + name
              : "remove it with: cnai cluster delete --provider sim --name " + name);
    }
    Optional<Path> external = request.kubeconfig().map(Path::toAbsolutePath);
    external.ifPresent(p -> checkWritable(p, name));
    SimProcesses processes = new SimProcesses(layout, name, clock, cp.provider());
    try {
      Files.createDirectories(layout.root());
      int[] ports = freePorts(6);
      Ports pt = new Ports(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
      writeProperties(layout, request, pt, external, extra, cp);
      SimPki pki = new SimPki(clock);
      pki.writeAll(layout.pki(), name, cp.loopback() ? List.of() : List.of(cp.address()));
      if (!cp.nodeIps().isEmpty()) {
        pki.writeNodes(layout.pki(), cp.nodeIps());
      }
      writeKubeconfigs(layout, name, pt, cp.address());
      writeKwokConfig(layout);
      define(layout, processes, name, pt, cp);

      processes.start(SimComponent.ETCD, ETCD_TIMEOUT);
      processes.start(SimComponent.APISERVER, APISERVER_TIMEOUT);
      processes.start(SimComponent.CONTROLLER_MANAGER, PART_TIMEOUT);
      processes.start(SimComponent.SCHEDULER, PART_TIMEOUT);
      if (cp.kwok()) {
        processes.start(SimComponent.KWOK, PART_TIMEOUT);
      }

      Cluster cluster = new Cluster(name, cp.provider(), layout.kubeconfig(), Kubeconfigs.contextName(name));
      cp.nodes().apply(processes).add(cluster, processes);
      if (external.isPresent()) {
        Files.createDirectories(external.get().toAbsolutePath().getParent());
        SimPki.writeText(external.get(), Files.readString(layout.kubeconfig()), true);
        cluster = new Cluster(name, cp.provider(), external.get(), Kubeconfigs.contextName(name));
      }
      return new SimCluster(cluster, layout, processes);
    } catch (CnaiException e) {
      processes.stopAll();
      throw e;
    } catch (IOException e) {
      processes.stopAll();
      throw CnaiException.failure(
          "cannot write the state of sim cluster '" + name + "' under " + layout.root() + ": " + e.getMessage(),
          "check that " + home + " is writable (set CNAI_HOME to use another directory)",
          e);
    } catch (RuntimeException e) {
      processes.stopAll();
      throw e;
    }
  }

  /** The ports one cluster uses, all on 127.0.0.1. */
  record Ports(int etcdClient, int etcdPeer, int apiserver, int controllerManager, int scheduler, int kwok) {}

  private void define(SimLayout l, SimProcesses p, String name, Ports pt, ControlPlane cp) throws IOException {
    Path pki = l.pki().toAbsolutePath();
    String etcdUrl = "http://127.0.0.1:" + pt.etcdClient();
    String peerUrl = "http://127.0.0.1:" + pt.etcdPeer();
    p.define(
        SimComponent.ETCD,
        List.of(
            binaries.etcd().toString(),
            "--name=" + name,
            "--data-dir=" + l.etcdData().toAbsolutePath(),
            "--listen-client-urls=" + etcdUrl,
            "--advertise-client-urls=" + etcdUrl,
            "--listen-peer-urls=" + peerUrl,
            "--initial-advertise-peer-urls=" + peerUrl,
            "--initial-cluster=" + name + "=" + peerUrl,
            "--initial-cluster-state=new",
            // a simulation: losing the last writes on a machine crash is fine, fsync latency is not
            "--unsafe-no-fsync=true",
            "--quota-backend-bytes=4294967296",
            "--log-level=warn"),
        URI.create(etcdUrl + "/health"));
    List<String> apiserver = new ArrayList<>(List.of(
            binaries.apiserver().toString(),
            "--etcd-servers=" + etcdUrl,
            "--bind-address=" + cp.address(),
            "--advertise-address=" + cp.address(),
            "--secure-port=" + pt.apiserver(),
            "--cert-dir=" + l.certDir().toAbsolutePath(),
            "--tls-cert-file=" + pki.resolve("apiserver.crt"),
            "--tls-private-key-file=" + pki.resolve("apiserver.key"),
            "--client-ca-file=" + pki.resolve("ca.crt"),
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + pki.resolve("sa.pub"),
            "--service-account-signing-key-file=" + pki.resolve("sa.key"),
            "--service-cluster-ip-range=" + SimPki.SERVICE_CIDR,
            "--authorization-mode=Node,RBAC",
            "--requestheader-client-ca-file=" + pki.resolve("front-proxy-ca.crt"),
            "--requestheader-allowed-names=front-proxy-client",
            "--requestheader-username-headers=X-Remote-User",
            "--requestheader-group-headers=X-Remote-Group",
            "--requestheader-extra-headers-prefix=X-Remote-Extra-",
            "--proxy-client-cert-file=" + pki.resolve("front-proxy-client.crt"),
            "--proxy-client-key-file=" + pki.resolve("front-proxy-client.key"),
            "--allow-privileged=true",
            "--profiling=false"));
    if (cp.loopback()) {
      // no kubelets or kube-proxy to reach the "kubernetes" service's endpoints on loopback
      apiserver.add("--endpoint-reconciler-type=none");
    }
    apiserver.addAll(cp.extraApiserverArgs());
    p.define(SimComponent.APISERVER, apiserver, URI.create("https://" + cp.address() + ":" + pt.apiserver() + "/readyz"));
    p.define(
        SimComponent.CONTROLLER_MANAGER,
        securedBy(binaries.controllerManager().toString(), pt.controllerManager(), "controller-manager", l, pki,
            "--use-service-account-credentials=true",
            "--service-account-private-key-file=" + pki.resolve("sa.key"),
            "--root-ca-file=" + pki.resolve("ca.crt"),
            "--cluster-signing-cert-file=" + pki.resolve("ca.crt"),
            "--cluster-signing-key-file=" + pki.resolve("ca.key"),
            "--cluster-name=" + name,
            // dynamic provisioning for the "standard" StorageClass (as kind has one): the in-tree
            // host-path provisioner makes a directory under /tmp/hostpath_pv per claim
            "--enable-hostpath-provisioner=true",
            "--profiling=false"),
        URI.create("https://127.0.0.1:" + pt.controllerManager() + "/healthz"));
    p.define(
        SimComponent.SCHEDULER,
        securedBy(binaries.scheduler().toString(), pt.scheduler(), "scheduler", l, pki, "--profiling=false"),
        URI.create("https://127.0.0.1:" + pt.scheduler() + "/healthz"));
    if (!cp.kwok()) {
      return;
    }
    p.define(
        SimComponent.KWOK,
        List.of(
            binaries.kwok().toString(),
            "--kubeconfig=" + l.componentKubeconfig("kwok").toAbsolutePath(),
            "--config=" + l.kwokConfig().toAbsolutePath(),
            "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector=" + SimNodes.KWOK_ANNOTATION + "=" + SimNodes.KWOK_VALUE,
            "--node-lease-duration-seconds=40",
            "--cidr=10.243.0.0/16",
            "--node-ip=10.0.0.1",
            "--server-address=127.0.0.1:" + pt.kwok()),
        URI.create("http://127.0.0.1:" + pt.kwok() + "/healthz"));
  }

  private void addNodes(Cluster cluster, NodeTopology topology, SimProcesses processes) {
    List<Node> nodes = SimNodes.nodes(cluster.name(), topology, SimVersions.KUBERNETES);
    try (KubernetesClient client = client(cluster)) {
      for (Node n : nodes) {
        client.nodes().resource(n).create();
      }
      // One informer over all nodes, not one watch per node.
      try {
        client
            .nodes()
            .informOnCondition(
                all -> all.stream().filter(SimProvider::ready).count() >= nodes.size())
            .get(NODES_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        throw processes.died(
            SimComponent.KWOK,
            "did not make the " + nodes.size() + " nodes Ready within " + NODES_TIMEOUT.toSeconds() + "s (" + e + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CnaiException.failure("interrupted while waiting for the nodes", null, e);
      }
      // The controller-manager works once it has made the default namespace's service account.
      try {
        client
            .serviceAccounts()
            .inNamespace("default")
            .withName("default")
            .waitUntilCondition(java.util.Objects::nonNull, PART_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (KubernetesClientException e) {
        throw processes.died(
            SimComponent.CONTROLLER_MANAGER, "did not create the default service account (" + e.getMessage() + ")");
      }
      client.storage().v1().storageClasses().resource(defaultStorageClass()).create();
    }
  }

  /** The name of the default StorageClass of a sim cluster: the one kind clusters have. */
  public static final String STORAGE_CLASS = "standard";

  /**
   * The cluster's default StorageClass: {@value #STORAGE_CLASS}, served by kube-controller-manager's
   * host-path provisioner (--enable-hostpath-provisioner), so claims bind to a real
   * PersistentVolume (a directory under /tmp/hostpath_pv, removed when the claim is deleted).
   * Binding is immediate: kwok nodes have no topology a volume would have to follow.
   */
  static StorageClass defaultStorageClass() {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(STORAGE_CLASS)
        .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
        .addToLabels("app.kubernetes.io/managed-by", "cnai-sim")
        .endMetadata()
        .withProvisioner("kubernetes.io/host-path")
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("Immediate")
        .build();
  }

  static boolean ready(Node n) {
    return n != null
        && n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** A client for a cluster this provider made. */
  public static KubernetesClient client(Cluster cluster) {
    return cluster.access().open();
  }

  @Override
  public boolean delete(String name) {
    SimLayout layout = layout(name);
    if (!Files.exists(layout.root())) {
      return false;
    }
    String provider = properties(layout).getProperty("provider", name());
    if (!provider.equals(name())) {
      throw CnaiException.badInput(
          "cluster '" + name + "' was made by provider '" + provider + "'",
          "delete it with: cnai cluster delete --provider " + provider + " --name " + name);
    }
    removeControlPlane(name);
    return true;
  }

  /** Where kube-controller-manager's host-path provisioner makes a directory per claim (fixed in Kubernetes). */
  static final Path HOSTPATH_PV = Path.of("/tmp/hostpath_pv");

  /**
   * Removes the directories the host-path provisioner made for this cluster's claims (they live
   * outside the cluster's folder, and the provisioner removes one only when its claim is deleted):
   * the PersistentVolumes are listed while the API server still answers; nothing is done when it
   * does not (a cluster already stopped: its volumes cannot be told from another cluster's).
   */
  static void removeClaimDirectories(SimLayout layout) {
    if (!Files.isRegularFile(layout.kubeconfig())) {
      return;
    }
    // the one way in: a TCP probe first, so a stopped cluster is given up at once
    try (KubernetesClient client = io.cnai.installer.kube.ClusterAccess.of(layout.kubeconfig(), null).open()) {
      for (var pv : client.persistentVolumes().list().getItems()) {
        var hp = pv.getSpec() == null ? null : pv.getSpec().getHostPath();
        if (hp != null && hp.getPath() != null) {
          Path dir = Path.of(hp.getPath()).normalize();
          if (dir.getParent() != null && dir.getParent().equals(HOSTPATH_PV)) {
            deleteTree(dir);
          }
        }
      }
    } catch (RuntimeException e) {
      // the API server is gone: nothing to learn the claims from
    }
  }

  /** Stops the control plane's processes and removes the cluster's directory. */
  void removeControlPlane(String name) {
    SimLayout layout = layout(name);
    removeClaimDirectories(layout);
    new SimProcesses(layout, name, clock).stopAll();
    Properties p = properties(layout);
    String external = p.getProperty("kubeconfig.external");
    if (external != null && !external.isBlank()) {
      Path ext = Path.of(external);
      try {
        if (Files.isRegularFile(ext)
            && Files.readString(ext).startsWith(Kubeconfigs.marker(name) + "\n")) {
          Files.delete(ext);
        }
      } catch (IOException e) {
        // the kubeconfig elsewhere is the user's to remove; the cluster is gone either way
      }
    }
    deleteTree(layout.root());
  }

  @Override
  public List<ClusterSummary> list() {
    return list(name());
  }

  List<ClusterSummary> list(String provider) {
    Path dir = home.resolve("clusters");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<ClusterSummary> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (!Files.isDirectory(p)) {
          continue;
        }
        try {
          open(name, provider).ifPresent(c -> out.add(summary(c)));
        } catch (CnaiException e) {
          // not a cluster directory cnai knows
        }
      }
    } catch (IOException e) {
      throw CnaiException.failure("cannot list " + dir + ": " + e.getMessage(), null, e);
    }
    return out;
  }

  private ClusterSummary summary(SimCluster c) {
    Properties p = properties(c.layout());
    StringBuilder detail = new StringBuilder();
    detail.append(p.getProperty("kubernetes.version", "?"))
        .append(", ").append(p.getProperty("nodes", "?")).append(" nodes (")
        .append(p.getProperty("gpu.nodes", "0")).append(" with ")
        .append(p.getProperty("gpus.per.node", "0")).append(" ")
        .append(p.getProperty("gpu.product", "")).append(")")
        .append(", https://").append(p.getProperty("address", "127.0.0.1")).append(':')
        .append(p.getProperty("port.apiserver", "?"));
    ClusterSummary.State state = c.state();
    if (state == ClusterSummary.State.DEGRADED) {
      detail.append(", down: ");
      detail.append(
          String.join(
              ",",
              c.health().entrySet().stream().filter(e -> !e.getValue()).map(e -> e.getKey().id()).toList()));
      detail.append(" (logs in ").append(c.layout().logs()).append(")");
    }
    return new ClusterSummary(c.name(), c.cluster().provider(), state, c.cluster().kubeconfig(), detail.toString());
  }

  @Override
  public Optional<Cluster> find(String name) {
    return open(name).map(SimCluster::cluster);
  }

  /** The sim cluster of that name, if its state exists here. */
  public Optional<SimCluster> open(String name) {
    return open(name, name());
  }

  /** The cluster of that name if it exists here and was made by that provider. */
  Optional<SimCluster> open(String name, String provider) {
    SimLayout layout = layout(name);
    if (!Files.isRegularFile(layout.properties())) {
      return Optional.empty();
    }
    Properties p = properties(layout);
    if (!provider.equals(p.getProperty("provider", "sim"))) {
      return Optional.empty();
    }
    String external = p.getProperty("kubeconfig.external", "");
    Path kubeconfig = external.isBlank() ? layout.kubeconfig() : Path.of(external);
    if (!Files.isRegularFile(kubeconfig)) {
      kubeconfig = layout.kubeconfig();
    }
    Cluster cluster = new Cluster(name, provider, kubeconfig, Kubeconfigs.contextName(name));
    return Optional.of(new SimCluster(cluster, layout, new SimProcesses(layout, name, clock, provider)));
  }

  /** The settings cnai recorded when it made the cluster. */
  public static Properties properties(SimLayout layout) {
    Properties p = new Properties();
    if (Files.isRegularFile(layout.properties())) {
      try (var in = Files.newBufferedReader(layout.properties())) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return p;
  }

  private void writeProperties(
      SimLayout l, ClusterRequest r, Ports pt, Optional<Path> external, Map<String, String> extra, ControlPlane cp)
      throws IOException {
    StringBuilder sb = new StringBuilder("# " + cp.provider() + " cluster written by cnai\n");
    prop(sb, "name", r.name());
    prop(sb, "provider", cp.provider());
    prop(sb, "address", cp.address());
    prop(sb, "created", clock.instant().toString());
    prop(sb, "kubernetes.version", SimVersions.KUBERNETES);
    prop(sb, "etcd.version", SimVersions.ETCD);
    prop(sb, "kwok.version", SimVersions.KWOK);
    prop(sb, "nodes", Integer.toString(r.nodes().nodes()));
    prop(sb, "gpu.nodes", Integer.toString(r.nodes().gpuNodes()));
    prop(sb, "gpus.per.node", Integer.toString(r.nodes().gpusPerNode()));
    prop(sb, "gpu.product", r.nodes().gpu().product());
    prop(sb, "port.etcd", Integer.toString(pt.etcdClient()));
    prop(sb, "port.etcd.peer", Integer.toString(pt.etcdPeer()));
    prop(sb, "port.apiserver", Integer.toString(pt.apiserver()));
    prop(sb, "port.controller-manager", Integer.toString(pt.controllerManager()));
    prop(sb, "port.scheduler", Integer.toString(pt.scheduler()));
    prop(sb, "port.kwok", Integer.toString(pt.kwok()));
    prop(sb, "kubeconfig.external", external.map(Path::toString).orElse(""));
    extra.forEach((k, v) -> prop(sb, k, v));
    SimPki.writeText(l.properties(), sb.toString(), false);
  }

  private static void prop(StringBuilder sb, String k, String v) {
    sb.append(k).append('=').append(v.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
  }

  private static void writeKubeconfigs(SimLayout l, String name, Ports pt, String address) throws IOException {
    String server = "https://" + address + ":" + pt.apiserver();
    String ca = Files.readString(l.pki().resolve("ca.crt"));
    SimPki.writeText(
        l.kubeconfig(),
        Kubeconfigs.render(name, server, ca, "admin",
            Files.readString(l.pki().resolve("admin.crt")), Files.readString(l.pki().resolve("admin.key"))),
        true);
    Files.createDirectories(l.componentKubeconfig("x").getParent());
    for (String who : List.of("controller-manager", "scheduler", "kwok")) {
      SimPki.writeText(
          l.componentKubeconfig(who),
          Kubeconfigs.render(name, server, ca, who,
              Files.readString(l.pki().resolve(who + ".crt")), Files.readString(l.pki().resolve(who + ".key"))),
          true);
    }
  }

  private static void writeKwokConfig(SimLayout l) throws IOException {
    SimPki.writeText(l.kwokConfig(), KwokStages.yaml(SimVersions.KUBERNETES), false);
  }

  private static void checkWritable(Path p, String name) {
    if (Files.isDirectory(p)) {
      throw CnaiException.badInput("--kubeconfig " + p + " is a directory", "name a file");
    }
    if (Files.exists(p)) {
      try {
        if (!Files.readString(p).startsWith(Kubeconfigs.marker(name) + "\n")) {
          throw CnaiException.badInput(
              "--kubeconfig " + p + " exists and was not written by cnai for cluster '" + name + "'",
              "choose another path, or remove the file first");
        }
      } catch (IOException e) {
        throw CnaiException.badInput("cannot read --kubeconfig " + p + ": " + e.getMessage(), null);
      }
    }
  }

  /** Ports that are free now on 127.0.0.1, all different. */
  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        out[i] = s.getLocalPort();
      }
      return out;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot remove " + root + ": " + e.getMessage(), "remove it by hand once nothing uses it", e);
    }
  }

  /**
   * The command line of a control-plane part that serves HTTPS on loopback (controller-manager,
   * scheduler): its kubeconfig for everything, its serving certificate from the cluster's PKI, no
   * leader election; then {@code more}.
   */
  private static List<String> securedBy(String binary, int port, String who, SimLayout l, Path pki, String... more) {
    String kc = l.componentKubeconfig(who).toAbsolutePath().toString();
    List<String> argv = new ArrayList<>(List.of(
        binary,
        "--kubeconfig=" + kc,
        "--authentication-kubeconfig=" + kc,
        "--authorization-kubeconfig=" + kc,
        "--bind-address=127.0.0.1",
        "--secure-port=" + port,
        "--cert-dir=" + l.certDir().toAbsolutePath(),
        "--tls-cert-file=" + pki.resolve(who + "-serving.crt"),
        "--tls-private-key-file=" + pki.resolve(who + "-serving.key"),
        "--client-ca-file=" + pki.resolve("ca.crt"),
        "--leader-elect=false"));
    argv.addAll(List.of(more));
    return argv;
  }
}
