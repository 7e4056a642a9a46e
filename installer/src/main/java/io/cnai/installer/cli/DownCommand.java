package io.cnai.installer.cli;

import io.cnai.installer.lifecycle.DownAction;
import java.io.PrintWriter;
import java.util.Locale;
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
  @Mixin ApplyOptions apply;
  @Mixin ProviderOption provider;
  @Mixin DeleteOptions delete;

  @Option(names = "--name", defaultValue = "cnai", description = "Cluster name (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DownAction.Result r = new DownAction(apply.lifecycle(out), provider.provider()).name(name).kubeconfig(apply.kube().kubeconfig)
        .context(apply.kube().context).timeout(apply.timeout()).deletePvcs(delete.pvcs).deleteCrds(delete.crds).run();
    switch (r.outcome()) {
      case UNINSTALLED -> out.println("down: stack uninstalled" + (delete.pvcs || delete.crds ? "" : " (PVCs and CRDs kept: --delete-pvcs, --delete-crds remove them)")
          + "; cnai does not delete clusters it did not create");
      case NOT_FOUND -> out.printf("down: no %s cluster named '%s'%n", provider.name, name);
      case DELETED_NOT_RUNNING -> {
        // nothing to talk to (a reboot stopped it, or parts died): the stack went with the cluster
        out.printf("down: cluster '%s' is %s; deleting it without uninstalling the stack first (it goes with the cluster)%n",
            name, r.state().name().toLowerCase(Locale.ROOT));
        out.printf("down: cluster '%s' deleted%n", name);
      }
      case DELETED -> out.printf("down: cluster '%s' deleted%n", name);
    }
    out.flush();
    return 0;
  }
}
