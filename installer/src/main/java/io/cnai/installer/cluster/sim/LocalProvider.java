package io.cnai.installer.cluster.sim;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.ClusterSummary;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeRegistries;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.RegistryMirror;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code local} provider: the sim control plane plus real nodes on this machine. Each node is a
 * network namespace joined to the host by a veth pair (a /30 in 10.201.0.0/16, pods in a /24 of
 * 10.202.0.0/16, nothing leaves the machine), its own containerd (root, state, socket and CNI
 * configuration under the cluster's directory) and a kubelet with certificates from the cluster's
 * PKI, in a cgroup root of its own. Containers really run, with runc and the CNI plugins of the
 * operating system, from images cnai builds itself ({@link OciArchive}).
 *
 * <p>What the kubelet changes outside the cluster's directory (kernel settings, fixed paths) is
 * recorded before it starts and restored by {@link #delete}, which also removes every process,
 * mount, cgroup, network namespace and link of the cluster, after a crash too. See
 * docs/nodes.md and docs/adr/0601-local-provider-real-nodes.md.
 */
public final class LocalProvider implements ClusterProvider {
  public static final String NAME = "local";
  /** The image of the tests: busybox, with a shell. */
  public static final String BUSYBOX_IMAGE = "cnai.local/busybox:local";
  /** The pod sandbox ("pause") image, made of the same busybox. */
  static final String PAUSE_IMAGE = "cnai.local/pause:local";

  public static final int MAX_NODES = 8;
  /** The process id of the cluster's own registry ({@code --local-registry}). */
  static final String REGISTRY = "registry";
  /**
   * Its port, on the host side of node 0's link (an address of its own per cluster), when free;
   * otherwise any free port of that address.
   */
  static final int REGISTRY_PORT = 5000;
  /** The CNI network of every local node. */
  static final String CNI_NETWORK = "cnai-local";
  static final String PACKAGES = "runc containernetworking-plugins busybox-static iptables iproute2 util-linux mount";
  static final Duration CONTAINERD_TIMEOUT = Duration.ofSeconds(60);
  static final Duration KUBELET_TIMEOUT = Duration.ofSeconds(90);
  /** Where each node's NetworkPolicy agent says it has written its rules (on the node's address). */
  static final int NETPOL_HEALTHZ_PORT = 10262;
  static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  static final List<String> CNI_DIRS = List.of("/usr/lib/cni", "/opt/cni/bin");
  /**
   * Kernel settings the kubelet sets (protectKernelDefaults: false). They are global, not per
   * network namespace: cnai records them before the first kubelet starts and restores them.
   */
  static final List<String> SYSCTLS = List.of(
      "vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops",
      "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes",
      // set by cnai itself for clusters of several nodes: pods of one node reach another's
      // through this machine, which routes each node's pod range to it
      "net/ipv4/ip_forward");
  /**
   * Paths used whatever the configuration says: the kubelet's container log links and device
   * plugin directory, containerd's shim sockets, the mount point of named network namespaces, and
   * the CNI library's cache of results (containerd gives no setting for it).
   */
  static final List<String> GLOBAL_PATHS =
      List.of("/var/log/containers", "/var/lib/kubelet", "/run/containerd", "/run/netns", "/var/lib/cni");

  private final Path home;
  private final SimProvider sim;
  private final NodeBinaries binaries;
  private final Clock clock;

  public LocalProvider(Path home, SimBinaries simBinaries, NodeBinaries binaries, Clock clock) {
    this.home = home;
    this.sim = new SimProvider(home, simBinaries, clock);
    this.binaries = binaries;
    this.clock = clock;
  }

  public static LocalProvider fromEnvironment() {
    return new LocalProvider(
        SimProvider.defaultHome(System.getenv()), SimBinaries.fromEnvironment(), NodeBinaries.fromEnvironment(),
        Clock.systemUTC());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NodeTopology defaultTopology() {
    return new NodeTopology(1, 0, 8, GpuProduct.of(GpuProduct.DEFAULT));
  }

  @Override
  public String creating(ClusterRequest r) {
    return String.format("Creating local cluster '%s': control plane and %d real node%s ...", r.name(), r.nodes().nodes(),
        r.nodes().nodes() == 1 ? "" : "s");
  }

  // ---------------------------------------------------------------------------------------------
  // What this machine must have

  /**
   * What is missing on this machine for real nodes, each with what provides it; empty when all is
   * there.
   */
  public List<String> missing() {
    List<String> out = new ArrayList<>();
    if (!isRoot()) {
      out.add("root (network namespaces, mounts and cgroups need it): run as root");
    }
    sim.binaries().missing().forEach(p -> out.add(p + " (" + SimBinaries.BUILD_HINT + ")"));
    binaries.missing().forEach(p -> out.add(p + " (" + NodeBinaries.BUILD_HINT + ")"));
    List<String> pkgs = new ArrayList<>();
    if (Commands.which("runc").isEmpty()) {
      pkgs.add("runc");
    }
    if (cniDir().isEmpty()) {
      pkgs.add("the CNI plugins bridge, host-local and loopback in " + CNI_DIRS);
    }
    if (!Files.isExecutable(busybox())) {
      pkgs.add("a static busybox at /bin/busybox");
    }
    for (String t : List.of("ip", "nsenter", "mount", "umount", "setsid", "iptables", "iptables-restore")) {
      if (Commands.which(t).isEmpty()) {
        pkgs.add(t);
      }
    }
    if (!pkgs.isEmpty()) {
      out.add(String.join(", ", pkgs) + " (apt-get update && apt-get install -y " + PACKAGES + ")");
    }
    return out;
  }

  /** Fails with BAD_INPUT (exit 2) saying what to install when anything is missing. */
  public void requireReady() {
    List<String> m = missing();
    if (!m.isEmpty()) {
      throw CnaiException.badInput(
          "real nodes cannot run here; missing: " + String.join("; ", m),
          "install what is listed, then run: bash " + "installer/tools/build-node.sh --check");
    }
  }

  static boolean isRoot() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("Uid:")) {
          return l.split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return false;
  }

  static Optional<Path> cniDir() {
    for (String d : CNI_DIRS) {
      Path p = Path.of(d);
      if (Stream.of("bridge", "host-local", "loopback").allMatch(b -> Files.isExecutable(p.resolve(b)))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public static Path busybox() {
    return Path.of("/bin/busybox");
  }

  // ---------------------------------------------------------------------------------------------
  // Create

  /** One real node: its name, its addresses, and where its files are. */
  record Node(String name, int index, int link, String netns, Path dir, String cgroupRoot) {
    String hostIf() {
      return "cnai" + link + "h";
    }

    String nodeIf() {
      return "cnai" + link + "n";
    }

    String hostIp() {
      return "10.201." + link + ".1";
    }

    String nodeIp() {
      return "10.201." + link + ".2";
    }

    String podCidr() {
      return "10.202." + link + ".0/24";
    }

    String kubelet() {
      return "kubelet-" + name;
    }

    String containerd() {
      return "containerd-" + name;
    }

    String kubeProxy() {
      return "kube-proxy-" + name;
    }

    String coredns() {
      return "coredns-" + name;
    }

    String netpol() {
      return "netpol-" + name;
    }

    /** Where the node's CNI plugin tells its NetworkPolicy agent the address of a new pod. */
    Path netpolSocket() {
      return dir.resolve("netpol.sock");
    }

    Path socket() {
      return dir.resolve("containerd.sock");
    }

    Properties toProperties() {
      Properties p = new Properties();
      p.setProperty("name", name);
      p.setProperty("index", Integer.toString(index));
      p.setProperty("link", Integer.toString(link));
      p.setProperty("netns", netns);
      p.setProperty("cgroup.root", cgroupRoot);
      p.setProperty("host.interface", hostIf());
      p.setProperty("host.ip", hostIp());
      p.setProperty("node.ip", nodeIp());
      p.setProperty("pod.cidr", podCidr());
      return p;
    }

    static Node of(Properties p, Path dir) {
      return new Node(p.getProperty("name"), Integer.parseInt(p.getProperty("index")),
          Integer.parseInt(p.getProperty("link")), p.getProperty("netns"), dir, p.getProperty("cgroup.root"));
    }
  }

  @Override
  public Cluster create(ClusterRequest request) {
    return start(request).cluster();
  }

  /** Creates the cluster and returns its handle (its control plane's processes and files). */
  public SimCluster start(ClusterRequest request) {
    NodeTopology t = request.nodes();
    if (t.gpuNodes() > 0) {
      throw CnaiException.badInput("local nodes have no GPUs (--gpu-nodes " + t.gpuNodes() + ")",
          "use --gpu-nodes 0, or --provider sim for simulated GPU nodes");
    }
    if (t.nodes() > MAX_NODES) {
      throw CnaiException.badInput("--nodes " + t.nodes() + " is more than the " + MAX_NODES + " local nodes cnai runs",
          "use --provider sim for many nodes");
    }
    requireReady();
    NodeRegistries registries = request.registries();
    if (registries.local() && !Files.isExecutable(binaries.registry())) {
      throw CnaiException.badInput("--local-registry needs the registry binary " + binaries.registry(),
          "run: bash installer/tools/build-registry.sh");
    }
    String name = request.name();
    SimLayout layout = sim.layout(name);
    if (Files.exists(layout.root())) {
      throw CnaiException.badInput("cluster '" + name + "' already exists under " + layout.root(),
          "delete it first: cnai cluster delete --provider " + NAME + " --name " + name);
    }
    List<Node> nodes;
    try {
      Files.createDirectories(layout.root());
      // before anything is changed: ip netns add alone makes /run/netns
      recordHostState(layout);
      nodes = prepareNodes(layout, name, t.nodes());
      if (nodes.size() > 1) {
        Path forward = Path.of("/proc/sys/net/ipv4/ip_forward");
        if (!"1".equals(readSysctl(forward))) {
          Files.writeString(forward, "1");
        }
      }
    } catch (IOException e) {
      delete(name);
      throw CnaiException.failure("cannot prepare the nodes of local cluster '" + name + "': " + e.getMessage(),
          "check that " + home + " is writable", e);
    } catch (RuntimeException e) {
      delete(name);
      throw e;
    }
    String address = nodes.get(0).hostIp();
    Path pki = layout.pki().toAbsolutePath();
    List<String> apiserverArgs = List.of(
        "--kubelet-client-certificate=" + pki.resolve("apiserver-kubelet-client.crt"),
        "--kubelet-client-key=" + pki.resolve("apiserver-kubelet-client.key"),
        "--kubelet-certificate-authority=" + pki.resolve("ca.crt"),
        // the kubelets' host names are not in any DNS; their InternalIP is reachable
        "--kubelet-preferred-address-types=InternalIP",
        // admission webhooks and aggregated APIs are called at their pods' addresses, which this
        // machine routes to each node; Service IPs exist only inside the nodes (kube-proxy there)
        "--enable-aggregator-routing=true");
    Map<String, String> ips = new LinkedHashMap<>();
    nodes.forEach(n -> ips.put(n.name(), n.nodeIp()));
    try {
      String registry = registries.local() ? address + ":" + registryPort(address) : null;
      List<RegistryMirror> mirrors = mirrors(registries, registry);
      Map<String, String> extra = new LinkedHashMap<>();
      extra.put("nodes.real", Integer.toString(nodes.size()));
      if (registry != null) {
        extra.put("registry.local", "http://" + registry);
      }
      extra.put("registry.mirrors", String.join(" ", mirrors.stream().map(RegistryMirror::toString).toList()));
      SimProvider.ControlPlane cp = new SimProvider.ControlPlane(NAME, address, apiserverArgs, false, true, ips,
          processes -> (cluster, p) -> startNodes(cluster, layout, nodes, p, registry, mirrors));
      return sim.start(request, extra, cp);
    } catch (RuntimeException e) {
      try {
        delete(name);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Allocates each node's link and writes its record, then makes its namespace and veth pair. */
  private List<Node> prepareNodes(SimLayout layout, String cluster, int count) throws IOException {
    List<Node> nodes = new ArrayList<>();
    Files.createDirectories(home);
    // Links are machine-wide: one allocation at a time, across clusters and processes.
    try (FileChannel ch = FileChannel.open(home.resolve(".local-links.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      List<Integer> used = usedLinks();
      int link = 0;
      for (int i = 0; i < count; i++) {
        while (used.contains(link)) {
          link++;
        }
        if (link > 254) {
          throw CnaiException.failure("no free link left in 10.201.0.0/16 (255 local nodes on this machine)",
              "delete local clusters you no longer use: cnai cluster list --provider local");
        }
        used.add(link);
        String nodeName = cluster + "-node-" + i;
        Path dir = layout.root().resolve("n" + i).toAbsolutePath();
        Node n = new Node(nodeName, i, link, "cnai-" + cluster + "-n" + i, dir, "/cnai-" + cluster + "-n" + i);
        Files.createDirectories(dir);
        try (var w = Files.newBufferedWriter(dir.resolve("node.properties"))) {
          n.toProperties().store(w, "local node written by cnai; delete removes what is named here");
        }
        nodes.add(n);
        network(n);
      }
    }
    for (Node n : nodes) {
      cgroups(n);
    }
    return nodes;
  }

  /** The link numbers in use on this machine: interfaces cnai<N>h, addresses in 10.201.N.0/30. */
  private static List<Integer> usedLinks() {
    List<Integer> used = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.matches("cnai[0-9]+h"))
          .forEach(n -> used.add(Integer.parseInt(n.substring(4, n.length() - 1))));
    } catch (IOException e) {
      // no interfaces to see
    }
    String addrs = Commands.run(List.of("ip", "-4", "-o", "addr", "show"), 10).output()
        + Commands.run(List.of("ip", "-4", "route", "show"), 10).output();
    for (String tok : addrs.split("[\\s/]+")) {
      if (tok.startsWith("10.201.") || tok.startsWith("10.202.")) {
        String[] parts = tok.split("\\.");
        if (parts.length >= 3) {
          try {
            used.add(Integer.parseInt(parts[2]));
          } catch (NumberFormatException e) {
            // not an address
          }
        }
      }
    }
    return used;
  }

  /** The node's network namespace, its veth pair to the host, addresses and routes. */
  private static void network(Node n) {
    String ns = n.netns();
    Commands.check("create network namespace " + ns, List.of("ip", "netns", "add", ns));
    Commands.check("create the veth pair of " + n.name(),
        List.of("ip", "link", "add", n.hostIf(), "type", "veth", "peer", "name", n.nodeIf(), "netns", ns));
    Commands.check("address the host side", List.of("ip", "addr", "add", n.hostIp() + "/30", "dev", n.hostIf()));
    Commands.check("bring up the host side", List.of("ip", "link", "set", n.hostIf(), "up"));
    Commands.check("address the node side", List.of("ip", "-n", ns, "addr", "add", n.nodeIp() + "/30", "dev", n.nodeIf()));
    Commands.check("bring up the node side", List.of("ip", "-n", ns, "link", "set", n.nodeIf(), "up"));
    Commands.check("bring up the node's loopback", List.of("ip", "-n", ns, "link", "set", "lo", "up"));
    Commands.check("route the node's traffic to the host",
        List.of("ip", "-n", ns, "route", "add", "default", "via", n.hostIp()));
    // The host reaches the node's pods through the node.
    Commands.check("route the node's pods", List.of("ip", "route", "add", n.podCidr(), "via", n.nodeIp(), "dev", n.hostIf()));
    // Forwarding inside the node's namespace only (a per-namespace setting): pods reach the host.
    Commands.check("enable forwarding in " + ns, List.of("nsenter", "--net=/run/netns/" + ns, "--", "sh", "-c",
        "echo 1 > /proc/sys/net/ipv4/ip_forward"));
  }

  /** The cgroup hierarchies of this machine: each v1 controller's, or the one v2 tree. */
  static List<Path> cgroupHierarchies() {
    Path root = Path.of("/sys/fs/cgroup");
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      return List.of(root);
    }
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(p -> Files.isDirectory(p) && !Files.isSymbolicLink(p) && Files.exists(p.resolve("cgroup.procs")))
          .sorted().forEach(out::add);
    } catch (IOException e) {
      // no cgroups
    }
    return out;
  }

  /** The node's cgroup root in every hierarchy (the kubelet requires it to exist). */
  private static void cgroups(Node n) throws IOException {
    for (Path h : cgroupHierarchies()) {
      Path dir = h.resolve(n.cgroupRoot().substring(1));
      Files.createDirectories(dir);
      // A new v1 cpuset has no CPUs and memory nodes; it takes its parent's.
      for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
        if (Files.exists(dir.resolve(f)) && Files.readString(dir.resolve(f)).isBlank()) {
          Files.writeString(dir.resolve(f), Files.readString(h.resolve(f)).strip());
        }
      }
    }
  }

  /** Records the kernel settings and fixed paths the nodes change, unless another cluster did. */
  private void recordHostState(SimLayout layout) throws IOException {
    Path state = layout.root().resolve("host-state.properties");
    // While another local cluster runs, its kubelets have changed the settings already; the
    // original values are the ones it recorded.
    for (String other : localClusters()) {
      Path o = sim.layout(other).root().resolve("host-state.properties");
      if (!other.equals(layout.root().getFileName().toString()) && Files.isRegularFile(o)) {
        Files.copy(o, state);
        return;
      }
    }
    Properties p = new Properties();
    for (String s : SYSCTLS) {
      Path f = Path.of("/proc/sys").resolve(s);
      if (Files.isReadable(f)) {
        p.setProperty("sysctl." + s.replace('/', '.'), readSysctl(f));
      }
    }
    for (String g : GLOBAL_PATHS) {
      p.setProperty("existed." + g, Boolean.toString(Files.exists(Path.of(g))));
    }
    try (var w = Files.newBufferedWriter(state)) {
      p.store(w, "host state before cnai's local nodes ran; restored by delete");
    }
  }

  /**
   * The mirrors the nodes use: the ones asked for, then the local registry ({@code registry},
   * host:port) for each of {@link RegistryMirror#LOCAL_UPSTREAMS} that no asked-for mirror covers,
   * below a path named after the upstream (the layout {@code cnai images push} writes).
   */
  static List<RegistryMirror> mirrors(NodeRegistries r, String registry) {
    List<RegistryMirror> out = new ArrayList<>(r.mirrors());
    if (r.local()) {
      for (String up : RegistryMirror.LOCAL_UPSTREAMS) {
        if (out.stream().noneMatch(m -> m.upstream().equals(up))) {
          out.add(new RegistryMirror(up, URI.create("http://" + registry + "/" + up)));
        }
      }
    }
    return out;
  }

  /**
   * containerd's {@code hosts.toml} for one upstream (containerd 2.x {@code config_path} layout:
   * {@code <dir>/<upstream>/hosts.toml}). The mirror is the upstream's {@code server}: the nodes
   * never ask the upstream itself (nothing leaves the machine; an air-gapped node does not wait on
   * it). A mirror with a path is asked at that path in place of {@code /v2}
   * ({@code override_path}); without one, at {@code /v2/<repository>} as upstream is.
   */
  static String hostsToml(RegistryMirror m) {
    String base = m.mirror().getScheme() + "://" + m.mirror().getAuthority();
    String prefix = m.prefix();
    StringBuilder sb = new StringBuilder("# written by cnai: images named ").append(m.upstream())
        .append("/... are pulled from ").append(m.mirror()).append(", never from upstream\n");
    if (prefix.isEmpty()) {
      sb.append("server = \"").append(base).append("\"\n");
    } else {
      sb.append("server = \"").append(base).append("/v2").append(prefix).append("\"\n");
      sb.append("override_path = true\n");
    }
    return sb.toString();
  }

  /** The address of the cluster's own registry ({@code --local-registry}), if it runs one. */
  public Optional<String> localRegistry(String cluster) {
    String r = SimProvider.properties(sim.layout(cluster)).getProperty("registry.local", "");
    return r.isEmpty() ? Optional.empty() : Optional.of(r);
  }

  /** {@link #REGISTRY_PORT} if it is free on {@code address}, else a free port there. */
  private static int registryPort(String address) {
    for (int port : new int[] {REGISTRY_PORT, 0}) {
      try (java.net.ServerSocket s = new java.net.ServerSocket(port, 0, java.net.InetAddress.getByName(address))) {
        return s.getLocalPort();
      } catch (IOException e) {
        // taken: any free port
      }
    }
    throw CnaiException.failure("no free port on " + address + " for the cluster's registry", "free a port and create again");
  }

  /** The registry of {@code --local-registry}: storage under the cluster's directory, on {@code hostPort}. */
  private void startRegistry(SimLayout layout, SimProcesses processes, String hostPort) throws IOException {
    Path dir = layout.root().resolve("registry").toAbsolutePath();
    Files.createDirectories(dir.resolve("storage"));
    SimPki.writeText(dir.resolve("config.yml"), String.join("\n",
        "# the local registry of cnai cluster " + layout.root().getFileName(),
        "version: 0.1",
        "log:",
        "  level: warn",
        "  accesslog:",
        "    disabled: true",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + dir.resolve("storage"),
        "  delete:",
        "    enabled: true",
        "http:",
        "  addr: " + hostPort,
        ""), false);
    processes.define(REGISTRY, List.of(binaries.registry().toString(), "serve", dir.resolve("config.yml").toString()),
        URI.create("http://" + hostPort + "/v2/"));
    processes.start(REGISTRY, SimProvider.PART_TIMEOUT);
  }

  private void startNodes(Cluster cluster, SimLayout layout, List<Node> nodes, SimProcesses processes, String registry,
      List<RegistryMirror> mirrors) throws IOException {
    if (registry != null) {
      startRegistry(layout, processes, registry);
    }
    try (KubernetesClient client = cluster.access().open()) {
      grantCoreDns(client);
      grantNetpol(client);
    }
    Path images = layout.root().resolve("images").resolve("busybox.oci.tar");
    List<String> applets = OciArchive.busyboxApplets(busybox());
    OciArchive.write(images, OciArchive.busyboxRootfs(busybox(), applets),
        // as busybox images usually are: a shell unless the pod says what to run
        List.of(new OciArchive.Image(BUSYBOX_IMAGE, List.of(), List.of("/bin/sh")),
            // the sandbox only has to wait; SIGKILL stops it
            new OciArchive.Image(PAUSE_IMAGE, List.of("/bin/sleep", "2147483647"), List.of())),
        OciArchive.arch());
    String server = "https://" + nodes.get(0).hostIp() + ":" + SimProvider.properties(layout).getProperty("port.apiserver");
    for (Node n : nodes) {
      Path hosts = n.dir().resolve("certs.d");
      Files.createDirectories(hosts);
      for (RegistryMirror m : mirrors) {
        Files.createDirectories(hosts.resolve(m.upstream()));
        SimPki.writeText(hosts.resolve(m.upstream()).resolve("hosts.toml"), hostsToml(m), false);
      }
      startNode(layout, n, processes, images, server);
    }
    long started = System.nanoTime();
    try (KubernetesClient client = cluster.access().open()) {
      client.nodes()
          .informOnCondition(all -> all.stream().filter(SimProvider::ready).count() >= nodes.size())
          .get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      // The controller-manager works once it has made the default namespace's service account.
      client.serviceAccounts().inNamespace("default").withName("default")
          .waitUntilCondition(java.util.Objects::nonNull, SimProvider.PART_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      // the default StorageClass, as on sim: the controller-manager's host-path provisioner makes a
      // directory under /tmp/hostpath_pv per claim, which the real nodes (same file system) mount
      client.storage().v1().storageClasses().resource(SimProvider.defaultStorageClass()).create();
      // each node's pod range, as a node IPAM controller records it: what a NetworkPolicy's ipBlock
      // leaves out to mean "outside the cluster's pods" (the classroom's policy reads it)
      for (Node n : nodes) {
        // a merge patch carries no resourceVersion: the kubelet's status updates cannot make it conflict
        client.nodes().withName(n.name()).patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"podCIDR\":\"" + n.podCidr() + "\",\"podCIDRs\":[\"" + n.podCidr() + "\"]}}");
      }
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      throw processes.died(nodes.get(0).kubelet(),
          "did not make the nodes Ready within " + READY_TIMEOUT.toSeconds() + "s (" + e + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while waiting for the nodes", null, e);
    }
    SimPki.writeText(layout.root().resolve("nodes-ready-ms"),
        Long.toString((System.nanoTime() - started) / 1_000_000) + "\n", false);
  }

  private void startNode(SimLayout layout, Node n, SimProcesses processes, Path images, String server) throws IOException {
    Path pki = layout.pki().toAbsolutePath();
    Path dir = n.dir();
    Path cni = dir.resolve("cni");
    Files.createDirectories(cni);
    SimPki.writeText(cni.resolve("10-cnai.conflist"), cniConfig(n), false);
    SimPki.writeText(dir.resolve("containerd.toml"), containerdConfig(n, cni), false);
    List<String> inNetns = List.of(Commands.which("nsenter").orElseThrow().toString(), "--net=/run/netns/" + n.netns(), "--");
    List<String> containerd = new ArrayList<>(inNetns);
    containerd.addAll(List.of(binaries.containerd().toString(), "--config", dir.resolve("containerd.toml").toString()));
    processes.define(n.containerd(), containerd, n.socket().toUri());
    processes.start(n.containerd(), CONTAINERD_TIMEOUT);

    Commands.Result imported = Commands.run(List.of(binaries.ctr().toString(), "--address", n.socket().toString(),
        "--namespace", "k8s.io", "images", "import", "--snapshotter", "overlayfs", "--label", "io.cri-containerd.pinned=pinned",
        images.toString()), 120);
    if (!imported.ok()) {
      throw CnaiException.failure("cannot import the node images into " + n.name() + "'s containerd: " + imported.output(),
          "see " + layout.log(n.containerd()));
    }

    // NetworkPolicies: cnai's agent in the node's namespace keeps iptables rules for the node's
    // isolated pods (bridged traffic passes iptables: bridge-nf-call-iptables); ready once written.
    // Before the kubelet: the node's CNI chain asks it about every new pod (ADR 0603).
    SimPki.writeText(dir.resolve("netpol.kubeconfig"), Kubeconfigs.render(layout.root().getFileName().toString(), server,
        Files.readString(pki.resolve("ca.crt")), "cnai-netpol", Files.readString(pki.resolve("cnai-netpol.crt")),
        Files.readString(pki.resolve("cnai-netpol.key"))), true);
    List<String> netpol = new ArrayList<>(inNetns);
    netpol.addAll(List.of(binaries.netpol().toString(), "--kubeconfig", dir.resolve("netpol.kubeconfig").toString(),
        "--node", n.name(), "--healthz", n.nodeIp() + ":" + NETPOL_HEALTHZ_PORT, "--socket", n.netpolSocket().toString()));
    processes.define(n.netpol(), netpol, URI.create("http://" + n.nodeIp() + ":" + NETPOL_HEALTHZ_PORT + "/healthz"));
    processes.start(n.netpol(), KUBELET_TIMEOUT);

    SimPki.writeText(dir.resolve("kubelet.kubeconfig"), Kubeconfigs.render(layout.root().getFileName().toString(), server,
        Files.readString(pki.resolve("ca.crt")), "kubelet-" + n.name(),
        Files.readString(pki.resolve("kubelet-" + n.name() + ".crt")),
        Files.readString(pki.resolve("kubelet-" + n.name() + ".key"))), true);
    SimPki.writeText(dir.resolve("kubelet.yaml"), kubeletConfig(n, pki), false);
    SimPki.writeText(dir.resolve("resolv.conf"), "# cnai local node: no upstream resolver (pods use the cluster DNS)\n", false);
    List<String> kubelet = new ArrayList<>(inNetns);
    kubelet.addAll(List.of(
        binaries.kubelet().toString(),
        "--config=" + dir.resolve("kubelet.yaml"),
        "--kubeconfig=" + dir.resolve("kubelet.kubeconfig"),
        "--root-dir=" + dir.resolve("kubelet"),
        "--hostname-override=" + n.name(),
        "--node-ip=" + n.nodeIp(),
        "--node-labels=cnai.io/node=local",
        "--v=1"));
    processes.define(n.kubelet(), kubelet, URI.create("http://" + n.nodeIp() + ":10248/healthz"));
    processes.start(n.kubelet(), KUBELET_TIMEOUT);

    // kube-proxy, iptables mode, inside the node's namespace: its rules go with the namespace.
    SimPki.writeText(dir.resolve("kube-proxy.kubeconfig"), Kubeconfigs.render(layout.root().getFileName().toString(), server,
        Files.readString(pki.resolve("ca.crt")), "kube-proxy", Files.readString(pki.resolve("kube-proxy.crt")),
        Files.readString(pki.resolve("kube-proxy.key"))), true);
    SimPki.writeText(dir.resolve("kube-proxy.yaml"), kubeProxyConfig(n), false);
    List<String> proxy = new ArrayList<>(inNetns);
    proxy.addAll(List.of(binaries.kubeProxy().toString(), "--config=" + dir.resolve("kube-proxy.yaml"), "--v=1"));
    processes.define(n.kubeProxy(), proxy, URI.create("http://" + n.nodeIp() + ":10256/healthz"));
    processes.start(n.kubeProxy(), KUBELET_TIMEOUT);

    // the node's cluster DNS: CoreDNS in the node's namespace, which the kubelet names to its pods
    // (clusterDNS: the node's address); it answers cluster.local from the API server, refuses the rest
    SimPki.writeText(dir.resolve("coredns.kubeconfig"), Kubeconfigs.render(layout.root().getFileName().toString(), server,
        Files.readString(pki.resolve("ca.crt")), "coredns", Files.readString(pki.resolve("coredns.crt")),
        Files.readString(pki.resolve("coredns.key"))), true);
    SimPki.writeText(dir.resolve("Corefile"), corefile(n), false);
    List<String> dns = new ArrayList<>(inNetns);
    dns.addAll(List.of(binaries.coredns().toString(), "-conf", dir.resolve("Corefile").toString()));
    processes.define(n.coredns(), dns, URI.create("http://" + n.nodeIp() + ":8181/ready"));
    processes.start(n.coredns(), KUBELET_TIMEOUT);

  }

  /** CoreDNS of one node: the Kubernetes zones from the API server (watching as system:coredns), health and readiness on the node's address. */
  private static String corefile(Node n) {
    return """
        # cluster DNS of cnai local node %1$s
        cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
            errors
            health %2$s:8080
            ready %2$s:8181
            kubernetes cluster.local in-addr.arpa ip6.arpa {
                kubeconfig %3$s
                pods insecure
                fallthrough in-addr.arpa ip6.arpa
            }
            cache 30
            loadbalance
        }
        """.formatted(n.name(), n.nodeIp(), n.dir().resolve("coredns.kubeconfig"));
  }

  /** What the NetworkPolicy agent reads: pods, namespaces and NetworkPolicies. */
  private static void grantNetpol(KubernetesClient client) {
    grantReader(client, "system:cnai-netpol",
        new PolicyRuleBuilder().withApiGroups("").withResources("pods", "namespaces").withVerbs("list", "watch").build(),
        new PolicyRuleBuilder().withApiGroups("networking.k8s.io").withResources("networkpolicies").withVerbs("list", "watch").build());
  }

  /** What CoreDNS reads, as kubeadm grants it: Services, EndpointSlices, Pods and Namespaces. */
  private static void grantCoreDns(KubernetesClient client) {
    grantReader(client, "system:coredns",
        new PolicyRuleBuilder().withApiGroups("").withResources("endpoints", "services", "pods", "namespaces").withVerbs("list", "watch").build(),
        new PolicyRuleBuilder().withApiGroups("discovery.k8s.io").withResources("endpointslices").withVerbs("list", "watch").build());
  }

  /** A ClusterRole named {@code user} with {@code rules}, bound to the user of that name (a node part's client certificate). */
  private static void grantReader(KubernetesClient client, String user, PolicyRule... rules) {
    client.rbac().clusterRoles().resource(new ClusterRoleBuilder()
        .withNewMetadata().withName(user).addToLabels("app.kubernetes.io/managed-by", "cnai-local").endMetadata()
        .withRules(rules)
        .build()).serverSideApply();
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
        .withNewMetadata().withName(user).addToLabels("app.kubernetes.io/managed-by", "cnai-local").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(user).endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject()
        .build()).serverSideApply();
  }

  private static String kubeProxyConfig(Node n) {
    return """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        clientConnection:
          kubeconfig: %s
        hostnameOverride: %s
        mode: iptables
        clusterCIDR: 10.202.0.0/16
        healthzBindAddress: %s:10256
        metricsBindAddress: %s:10249
        # pods on one bridge reach each other through a Service without br_netfilter: the node
        # masquerades Service traffic, so replies come back through it
        iptables:
          masqueradeAll: true
        # the conntrack table size is global to the machine: left as it is
        conntrack:
          maxPerCore: 0
          min: 0
          tcpEstablishedTimeout: 0s
          tcpCloseWaitTimeout: 0s
        """.formatted(n.dir().resolve("kube-proxy.kubeconfig"), n.name(), n.nodeIp(), n.nodeIp());
  }

  private static String cniConfig(Node n) {
    return """
        {
          "cniVersion": "1.0.0",
          "name": "%s",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "cni0",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "ranges": [[{"subnet": "%s"}]],
                "routes": [{"dst": "0.0.0.0/0"}],
                "dataDir": "%s"
              }
            },
            {"type": "cnai-netpol", "socket": "%s"},
            {"type": "loopback"}
          ]
        }
        """.formatted(CNI_NETWORK, n.podCidr(), n.dir().resolve("cni-ipam"), n.netpolSocket());
  }

  private String containerdConfig(Node n, Path cni) {
    Path d = n.dir().resolve("containerd");
    return """
        # containerd of cnai local node %s
        version = 3
        root = '%s'
        state = '%s'

        [grpc]
          address = '%s'

        [ttrpc]
          address = ''

        [debug]
          address = ''

        [metrics]
          address = ''

        [plugins]
          [plugins.'io.containerd.internal.v1.opt']
            path = '%s'
          [plugins.'io.containerd.nri.v1.nri']
            disable = true
          [plugins.'io.containerd.grpc.v1.cri']
            disable_tcp_service = true
            stream_server_address = '%s'
            stream_server_port = '0'
          [plugins.'io.containerd.cri.v1.images']
            snapshotter = 'overlayfs'
            [plugins.'io.containerd.cri.v1.images'.registry]
              # <upstream>/hosts.toml: the mirrors of --registry-mirror and --local-registry
              config_path = '%s'
            [plugins.'io.containerd.cri.v1.images'.pinned_images]
              sandbox = '%s'
          [plugins.'io.containerd.cri.v1.runtime']
            # without CAP_SYS_RESOURCE runc cannot lower oom_score_adj below the parent's
            restrict_oom_score_adj = true
            # the pods' network namespaces under the node's state, not in /var/run/netns
            netns_mounts_under_state_dir = true
            cdi_spec_dirs = ['%s']
            [plugins.'io.containerd.cri.v1.runtime'.containerd]
              default_runtime_name = 'runc'
              [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
                runtime_type = 'io.containerd.runc.v2'
                runtime_path = '%s'
                [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                  BinaryName = '%s'
                  SystemdCgroup = false
            [plugins.'io.containerd.cri.v1.runtime'.cni]
              bin_dirs = ['%s', '%s']
              conf_dir = '%s'
              max_conf_num = 1
        """.formatted(n.name(), d.resolve("root"), d.resolve("state"), n.socket(), d.resolve("opt"), n.nodeIp(),
        n.dir().resolve("certs.d"), PAUSE_IMAGE, d.resolve("cdi"), binaries.shim(), Commands.which("runc").orElseThrow(), cniDir().orElseThrow(),
        binaries.netpol().getParent(), cni);
  }

  private static String kubeletConfig(Node n, Path pki) {
    Path dir = n.dir();
    return """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        # cgroup v1 hosts: the kubelet refuses them unless told otherwise
        failCgroupV1: false
        cgroupDriver: cgroupfs
        cgroupRoot: %s
        cgroupsPerQOS: true
        containerRuntimeEndpoint: unix://%s
        imageServiceEndpoint: unix://%s
        address: %s
        port: 10250
        readOnlyPort: 0
        healthzBindAddress: %s
        healthzPort: 10248
        authentication:
          anonymous:
            enabled: false
          webhook:
            enabled: true
          x509:
            clientCAFile: %s
        authorization:
          mode: Webhook
        tlsCertFile: %s
        tlsPrivateKeyFile: %s
        rotateCertificates: false
        serverTLSBootstrap: false
        clusterDomain: cluster.local
        clusterDNS: [%s]
        resolvConf: %s
        failSwapOn: false
        protectKernelDefaults: false
        podLogsDir: %s
        volumePluginDir: %s
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        evictionHard:
          memory.available: 50Mi
          nodefs.available: 1%%
          nodefs.inodesFree: 1%%
          imagefs.available: 1%%
          imagefs.inodesFree: 1%%
        maxPods: 50
        """.formatted(n.cgroupRoot(), n.socket(), n.socket(), n.nodeIp(), n.nodeIp(), pki.resolve("ca.crt"),
        pki.resolve("kubelet-" + n.name() + "-serving.crt"), pki.resolve("kubelet-" + n.name() + "-serving.key"),
        n.nodeIp(), dir.resolve("resolv.conf"), dir.resolve("pod-logs"), dir.resolve("volume-plugins"));
  }

  // ---------------------------------------------------------------------------------------------
  // Delete, list, find

  /** The nodes recorded under the cluster's directory. */
  static List<Node> nodes(SimLayout layout) {
    List<Node> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(layout.root())) {
      for (Path d : s.filter(p -> p.getFileName().toString().matches("n[0-9]+")).sorted().toList()) {
        Path f = d.resolve("node.properties");
        if (Files.isRegularFile(f)) {
          Properties p = new Properties();
          try (var r = Files.newBufferedReader(f)) {
            p.load(r);
          }
          out.add(Node.of(p, d.toAbsolutePath()));
        }
      }
    } catch (IOException e) {
      // nothing recorded
    }
    return out;
  }

  @Override
  public boolean delete(String name) {
    SimLayout layout = sim.layout(name);
    if (!Files.exists(layout.root())) {
      return false;
    }
    String provider = SimProvider.properties(layout).getProperty("provider", NAME);
    if (!provider.equals(NAME)) {
      throw CnaiException.badInput("cluster '" + name + "' was made by provider '" + provider + "'",
          "delete it with: cnai cluster delete --provider " + provider + " --name " + name);
    }
    SimProvider.removeClaimDirectories(layout);
    List<Node> nodes = nodes(layout);
    SimProcesses processes = new SimProcesses(layout, name, clock, NAME);
    List<String> problems = new ArrayList<>();
    // The kubelets first, so that nothing restarts the containers; then the containers, by
    // their cgroups; then containerd (its shims are found by their command lines).
    nodes.forEach(n -> processes.stop(n.netpol()));
    nodes.forEach(n -> processes.stop(n.coredns()));
    nodes.forEach(n -> processes.stop(n.kubeProxy()));
    nodes.forEach(n -> processes.stop(n.kubelet()));
    nodes.forEach(n -> killCgroups(n, problems));
    nodes.forEach(n -> processes.stop(n.containerd()));
    processes.stop(REGISTRY);
    processes.stopAll();
    unmountUnder(layout.root().toAbsolutePath(), problems);
    for (Node n : nodes) {
      Path nsFile = Path.of("/run/netns", n.netns());
      if (Files.exists(nsFile)) {
        Commands.Result r = Commands.run(List.of("ip", "netns", "delete", n.netns()), 30);
        if (!r.ok()) {
          problems.add("ip netns delete " + n.netns() + ": " + r.output());
        }
      }
      if (Files.exists(Path.of("/sys/class/net", n.hostIf()))) {
        Commands.run(List.of("ip", "link", "delete", n.hostIf()), 30);
      }
      removeCgroups(n, problems);
    }
    restoreHostState(layout, name, problems);
    if (!problems.isEmpty()) {
      throw CnaiException.failure("could not remove everything of local cluster '" + name + "': " + String.join("; ", problems),
          "run the delete again; what is named above is left on this machine");
    }
    sim.removeControlPlane(name);
    return true;
  }

  /** SIGKILL to every process in the node's cgroups (the containers), until none is left. */
  private static void killCgroups(Node n, List<String> problems) {
    for (int round = 0; round < 50; round++) {
      List<Long> pids = new ArrayList<>();
      for (Path h : cgroupHierarchies()) {
        Path dir = h.resolve(n.cgroupRoot().substring(1));
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path procs : s.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
            for (String l : Files.readAllLines(procs)) {
              if (!l.isBlank()) {
                pids.add(Long.parseLong(l.strip()));
              }
            }
          }
        } catch (IOException | java.io.UncheckedIOException e) {
          // the tree changes while containers exit; look again
        }
      }
      if (pids.isEmpty()) {
        return;
      }
      pids.stream().distinct().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    problems.add("processes remain in the cgroups " + n.cgroupRoot());
  }

  private static void removeCgroups(Node n, List<String> problems) {
    for (Path h : cgroupHierarchies()) {
      Path dir = h.resolve(n.cgroupRoot().substring(1));
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> dirs;
      try (Stream<Path> s = Files.walk(dir)) {
        dirs = s.filter(Files::isDirectory).sorted(java.util.Comparator.comparingInt(Path::getNameCount).reversed()).toList();
      } catch (IOException | java.io.UncheckedIOException e) {
        problems.add("cannot read " + dir + ": " + e.getMessage());
        continue;
      }
      for (Path d : dirs) {
        try {
          Files.delete(d);
        } catch (IOException e) {
          problems.add("cannot remove cgroup " + d + ": " + e);
        }
      }
    }
  }

  /** Unmounts every mount point under {@code root}, deepest first. */
  static void unmountUnder(Path root, List<String> problems) {
    for (int round = 0; round < 3; round++) {
      List<String> points = mountsUnder(root);
      if (points.isEmpty()) {
        return;
      }
      for (String m : points) {
        Commands.run(List.of("umount", "-l", m), 30);
      }
    }
    List<String> left = mountsUnder(root);
    if (!left.isEmpty()) {
      problems.add("mounts remain: " + left);
    }
  }

  static List<String> mountsUnder(Path root) {
    String prefix = root.toString() + "/";
    List<String> out = new ArrayList<>();
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = l.split(" ");
        if (f.length > 4) {
          String mp = unescape(f[4]);
          if (mp.startsWith(prefix) || mp.equals(root.toString())) {
            out.add(mp);
          }
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    out.sort(java.util.Comparator.comparingInt(String::length).reversed());
    return out;
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Puts back the kernel settings and removes the fixed paths that did not exist before, once the
   * last local cluster goes; while another runs, its kubelets still need them.
   */
  private void restoreHostState(SimLayout layout, String name, List<String> problems) {
    Path state = layout.root().resolve("host-state.properties");
    if (!Files.isRegularFile(state) || localClusters().stream().anyMatch(c -> !c.equals(name))) {
      return;
    }
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(state)) {
      p.load(r);
    } catch (IOException e) {
      problems.add("cannot read " + state + ": " + e.getMessage());
      return;
    }
    for (String s : SYSCTLS) {
      String was = p.getProperty("sysctl." + s.replace('/', '.'));
      Path f = Path.of("/proc/sys").resolve(s);
      try {
        if (was != null && !readSysctl(f).equals(was)) {
          Files.writeString(f, was);
        }
      } catch (IOException e) {
        problems.add("cannot restore " + f + " to " + was + ": " + e.getMessage());
      }
    }
    for (String g : GLOBAL_PATHS) {
      Path path = Path.of(g);
      if ("false".equals(p.getProperty("existed." + g)) && Files.exists(path)) {
        unmountUnder(path, problems);
        try (Stream<Path> s = Files.walk(path)) {
          for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(x);
          }
        } catch (IOException | java.io.UncheckedIOException e) {
          problems.add("cannot remove " + path + ": " + e.getMessage());
        }
      } else if (g.equals("/var/lib/cni") && Files.isDirectory(path.resolve("results"))) {
        // it was there before: only the results of cnai's network go
        try (Stream<Path> s = Files.list(path.resolve("results"))) {
          for (Path x : s.filter(f -> f.getFileName().toString().startsWith(CNI_NETWORK + "-")).toList()) {
            Files.deleteIfExists(x);
          }
        } catch (IOException e) {
          problems.add("cannot clean " + path + ": " + e.getMessage());
        }
      } else if (g.equals("/var/log/containers") && Files.isDirectory(path)) {
        // it was there before: only our containers' links go
        try (Stream<Path> s = Files.list(path)) {
          for (Path x : s.filter(Files::isSymbolicLink).toList()) {
            if (Files.readSymbolicLink(x).startsWith(layout.root().toAbsolutePath())) {
              Files.deleteIfExists(x);
            }
          }
        } catch (IOException e) {
          problems.add("cannot clean " + path + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * A kernel setting's value. One read from offset 0: the kernel answers a read of an integer
   * setting at a later offset with end of file, so reading in pieces (as Files.readString does
   * for files that report size 0) yields only the first byte.
   */
  static String readSysctl(Path f) throws IOException {
    try (var in = Files.newInputStream(f)) {
      byte[] buf = new byte[4096];
      int n = in.read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
    }
  }

  /** The local clusters whose directories exist here. */
  private List<String> localClusters() {
    Path dir = home.resolve("clusters");
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (NAME.equals(SimProvider.properties(new SimLayout(p)).getProperty("provider"))) {
          out.add(p.getFileName().toString());
        }
      }
    } catch (IOException e) {
      // none
    }
    return out;
  }

  @Override
  public List<ClusterSummary> list() {
    return sim.list(NAME);
  }

  @Override
  public Optional<Cluster> find(String name) {
    return open(name).map(SimCluster::cluster);
  }

  public Optional<SimCluster> open(String name) {
    return sim.open(name, NAME);
  }

  /** Resident memory of each node's kubelet, containerd and kube-proxy, and of the cluster's registry. */
  public Map<String, Long> nodeMemory(String name) {
    SimLayout layout = sim.layout(name);
    SimProcesses processes = new SimProcesses(layout, name, clock, NAME);
    Map<String, Long> out = new LinkedHashMap<>();
    for (Node n : nodes(layout)) {
      processes.running(n.kubelet()).ifPresent(h -> out.put(n.kubelet(), SimCluster.rss(h.pid())));
      processes.running(n.containerd()).ifPresent(h -> out.put(n.containerd(), SimCluster.rss(h.pid())));
      processes.running(n.kubeProxy()).ifPresent(h -> out.put(n.kubeProxy(), SimCluster.rss(h.pid())));
      processes.running(n.coredns()).ifPresent(h -> out.put(n.coredns(), SimCluster.rss(h.pid())));
      processes.running(n.netpol()).ifPresent(h -> out.put(n.netpol(), SimCluster.rss(h.pid())));
    }
    processes.running(REGISTRY).ifPresent(h -> out.put(REGISTRY, SimCluster.rss(h.pid())));
    return out;
  }
}
