package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.ClusterSummary;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeRegistries;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.RegistryMirror;
import io.cnai.installer.cluster.sim.LocalProvider;
import io.cnai.installer.cluster.Providers;
import io.cnai.installer.kube.ClusterFacts;
import io.cnai.installer.kube.LiveFacts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai cluster create|delete|list': make, remove and list clusters through a provider. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Create, delete and list clusters through a provider (see --provider of each).",
    subcommands = {
      ClusterCommand.Create.class,
      ClusterCommand.Delete.class,
      ClusterCommand.ListClusters.class
    })
public final class ClusterCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a cluster and wait until its nodes are Ready.",
      footer = {
        "",
        "Examples:",
        "  cnai cluster create --provider sim --name dev --nodes 3 --gpu-nodes 2",
        "  cnai cluster create --provider local --name dev --local-registry",
        "  cnai cluster create --provider local --registry-mirror docker.io=http://10.0.0.5:5000/docker.io",
        "  cnai cluster create --provider existing --kubeconfig ~/.kube/config --context prod"
      })
  static final class Create implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--provider", paramLabel = "NAME", required = true, description = ProviderOption.HELP,
        completionCandidates = ProviderOption.Names.class)
    String provider;

    @Option(names = "--name", defaultValue = "cnai", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--nodes", description = "Nodes in all, GPU nodes included (default: 3; local: 1).")
    Integer nodes;

    @Option(names = "--gpu-nodes", description = "How many of the nodes have GPUs (default: 2; local: 0).")
    Integer gpuNodes;

    @Option(names = "--gpus-per-node", defaultValue = "8", description = "GPUs per GPU node (default: ${DEFAULT-VALUE}).")
    int gpusPerNode;

    @Option(names = "--gpu-product", defaultValue = GpuProduct.DEFAULT, description = "GPU product label (default: ${DEFAULT-VALUE}).")
    String gpuProduct;

    @Option(names = "--registry-mirror", paramLabel = "UPSTREAM=URL",
        description = "local: nodes pull images named UPSTREAM/... from URL (http:// or https://; a path holds that upstream's"
            + " images below it), e.g. docker.io=http://10.0.0.5:5000/docker.io. Repeatable; for air-gapped registries (docs/nodes.md).")
    List<String> registryMirrors = new ArrayList<>();

    @Option(names = "--local-registry",
        description = "local: run a registry with the cluster that answers for docker.io, ghcr.io, quay.io, registry.k8s.io and"
            + " cnai.local; push to it with 'cnai images push'.")
    boolean localRegistry;

    @Mixin KubeOptions kube;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ClusterProvider p = Providers.of(provider);
      NodeRegistries registries = new NodeRegistries(registryMirrors.stream().map(RegistryMirror::parse).toList(), localRegistry);
      if (!registries.isEmpty() && !(p instanceof LocalProvider)) {
        throw CnaiException.badInput("--registry-mirror and --local-registry are for nodes that run containers (provider "
            + p.name() + " has none)", "use --provider " + LocalProvider.NAME);
      }
      String clusterName = p.clusterName(name, Optional.ofNullable(kube.context));
      NodeTopology defaults = p.defaultTopology();
      NodeTopology topology = new NodeTopology(nodes != null ? nodes : defaults.nodes(),
          gpuNodes != null ? gpuNodes : defaults.gpuNodes(), gpusPerNode, GpuProduct.of(gpuProduct));
      ClusterRequest request = new ClusterRequest(clusterName, topology, Optional.ofNullable(kube.kubeconfig),
          Optional.ofNullable(kube.context), registries);
      String creating = p.creating(request);
      if (!creating.isEmpty()) {
        out.println(creating);
        out.flush();
      }
      Cluster c = p.create(request);
      ClusterFacts facts = LiveFacts.cluster(c.access());
      out.printf(
          "Cluster '%s' (%s) is ready: Kubernetes %s, %d nodes Ready, %d GPUs %s%n",
          c.name(), c.provider(), facts.kubernetesVersion(), facts.readyNodes(), facts.totalGpus(),
          facts.gpusByProduct().isEmpty() ? "" : facts.gpusByProduct());
      out.printf("Use it with:%n  export KUBECONFIG=%s%n  kubectl get nodes%n", c.kubeconfig());
      if (p instanceof LocalProvider local) {
        local.localRegistry(c.name()).ifPresent(r -> out.printf(
            "Its registry answers for %s:%n  cnai images push IMAGE-FILE --registry %s%n",
            String.join(", ", RegistryMirror.LOCAL_UPSTREAMS), r));
      }
      if (p.makesClusters()) {
        out.printf("Delete it with:%n  cnai cluster delete --provider %s --name %s%n", p.name(), c.name());
      }
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Stop a cluster cnai made and remove everything it left.")
  static final class Delete implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ProviderOption provider;

    @Option(names = "--name", defaultValue = "cnai", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() {
      boolean deleted = provider.provider().delete(name);
      PrintWriter out = spec.commandLine().getOut();
      if (deleted) {
        out.printf("Deleted %s cluster '%s'.%n", provider.name, name);
      } else {
        out.printf("No %s cluster '%s' here; nothing to delete.%n", provider.name, name);
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clusters cnai made, with their state.")
  static final class ListClusters implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ProviderOption provider;

    enum Output { table, json }

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Output output;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      List<ClusterSummary> all = new ArrayList<>(provider.provider().list());
      if (output == Output.json) {
        List<java.util.Map<String, String>> items = new ArrayList<>();
        for (ClusterSummary s : all) {
          java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
          m.put("name", s.name());
          m.put("provider", s.provider());
          m.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
          m.put("kubeconfig", s.kubeconfig().toString());
          m.put("detail", s.detail());
          items.add(m);
        }
        out.println(io.cnai.installer.json.Mappers.PRETTY_JSON.writeValueAsString(items));
        return 0;
      }
      if (all.isEmpty()) {
        out.println("No " + provider.name + " clusters.");
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "PROVIDER", "STATE", "KUBECONFIG", "DETAIL"});
      for (ClusterSummary s : all) {
        rows.add(new String[] {s.name(), s.provider(), s.state().name().toLowerCase(java.util.Locale.ROOT), s.kubeconfig().toString(), s.detail()});
      }
      int[] w = new int[5];
      for (String[] r : rows) {
        for (int i = 0; i < 5; i++) {
          w[i] = Math.max(w[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        out.printf("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %-" + w[3] + "s  %s%n", (Object[]) r);
      }
      return 0;
    }
  }
}
