package io.cnai.installer.cli;

import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.ClusterProvider;
import io.cnai.installer.cluster.ClusterSummary;
import io.cnai.installer.cluster.Providers;
import io.cnai.installer.lifecycle.Options;
import io.cnai.installer.lifecycle.Preflight;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai down': uninstall the stack and delete the cluster 'cnai up' created. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Uninstall the stack and delete the cluster cnai made; with --provider existing the stack is uninstalled as 'cnai uninstall' does "
        + "(PVCs and CRDs kept unless --delete-pvcs / --delete-crds) and the cluster is never deleted.",
    footer = {"", "A cluster cnai made that is not running (stopped, or parts of it down) is deleted without the uninstall: the stack goes with it.",
        "", "Examples:", "  cnai down --name cnai", "  cnai down --provider existing --kubeconfig ~/.kube/config --context prod --delete-crds"})
public final class DownCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin InstallCommand.Apply apply;
  @Mixin InstallCommand.Target target;

  @Option(names = "--provider", defaultValue = "sim", description = "sim or existing (default: ${DEFAULT-VALUE}).")
  String provider;

  @Option(names = "--name", defaultValue = "cnai", description = "Cluster name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--delete-pvcs", description = "--provider existing: also delete the stack's PersistentVolumeClaims (a cluster cnai made goes with all its data anyway).")
  boolean deletePvcs;

  @Option(names = "--delete-crds", description = "--provider existing: also delete the stack's CRDs and with them every custom resource.")
  boolean deleteCrds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ClusterProvider p = Providers.of(provider);
    if ("existing".equals(provider)) {
      // never deleted: only the stack is removed, and the users' data stays unless they say otherwise
      InstallCommand.lifecycle(target, null, out, Preflight.none()).uninstall(new Options.Uninstall(apply.timeout(), deletePvcs, deleteCrds, false));
      out.println("down: stack uninstalled" + (deletePvcs || deleteCrds ? "" : " (PVCs and CRDs kept: --delete-pvcs, --delete-crds remove them)")
          + "; cnai does not delete clusters it did not create");
      out.flush();
      return 0;
    }
    Optional<Cluster> c = p.find(name);
    if (c.isEmpty()) {
      out.printf("down: no %s cluster named '%s'%n", provider, name);
      out.flush();
      return 0;
    }
    ClusterSummary.State state = p.list().stream().filter(x -> x.name().equals(name)).map(ClusterSummary::state).findFirst()
        .orElse(ClusterSummary.State.RUNNING);
    if (state == ClusterSummary.State.RUNNING) {
      target.kubeconfig = c.get().kubeconfig();
      target.context = c.get().context();
      InstallCommand.lifecycle(target, null, out, Preflight.none()).uninstall(new Options.Uninstall(apply.timeout(), true, true, false));
    } else {
      // nothing to talk to (a reboot stopped it, or parts died): the stack goes with the cluster
      out.printf("down: cluster '%s' is %s; deleting it without uninstalling the stack first (it goes with the cluster)%n",
          name, state.name().toLowerCase(java.util.Locale.ROOT));
    }
    p.delete(name);
    out.printf("down: cluster '%s' deleted%n", name);
    out.flush();
    return 0;
  }
}
