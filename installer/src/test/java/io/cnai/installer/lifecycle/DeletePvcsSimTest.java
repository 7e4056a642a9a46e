package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.testing.TestStack;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PersistentVolumeClaims of components that leave the stack (upgrade) or of the whole stack
 * (uninstall) are kept unless --delete-pvcs, whoever made them: a chart's template (which 'helm
 * uninstall' alone would delete), a StatefulSet's volumeClaimTemplates (which Helm never knew), a
 * plain manifest (cnai's inventory).
 */
@SimClusterTest
class DeletePvcsSimTest {
  private static final String P = "pvc";
  @TempDir Path tmp;


  @Test
  void upgradeAndUninstallKeepPvcsUnlessDeletePvcs(SimCluster cluster, KubernetesClient client) {
    SimState.resetHistory(client);
    String kc = cluster.cluster().kubeconfig().toString();
    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.pvc(repo, tmp, P);
      // the ledger goes into a namespace the user made: uninstall neither deletes it nor waits for it to go
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(s.namespace("ledger")).endMetadata().build()).create();
      List<String> all = List.of(s.namespace("keeper") + "/data-keeper-db-0", s.namespace("keeper") + "/keeper-data",
          s.namespace("ledger") + "/ledger-data");

      // v1: three PVCs, one from each source
      run(Cli.args("install", s.signed("v1"), "--kubeconfig", kc, "--timeout", "90s"));
      assertThat(pvcs(client)).containsExactlyElementsOf(all);
      assertThat(SimState.deployedReleases(client)).containsKeys(P + "-keeper/keeper", P + "-anchor/anchor");
      Map<String, String> uids = uids(client);

      // (a) upgrade to v2 (keeper and ledger leave) without --delete-pvcs: releases and objects go, PVCs stay
      Cli.Result r = run(Cli.args("upgrade", s.signed("v2"), "--kubeconfig", kc, "--timeout", "90s"));
      assertThat(r.out()).contains("- keeper", "- ledger");
      assertThat(SimState.deployedReleases(client)).doesNotContainKey(P + "-keeper/keeper").containsKey(P + "-anchor/anchor");
      assertThat(client.apps().statefulSets().inNamespace(s.namespace("keeper")).withName("keeper-db").get()).isNull();
      assertThat(client.configMaps().inNamespace(s.namespace("ledger")).withName("ledger-settings").get()).isNull();
      assertThat(pvcs(client)).as(r.out()).containsExactlyElementsOf(all);
      assertThat(uids(client)).as("the same claims, not new ones").isEqualTo(uids);
      assertThat(r.out()).contains("kept PersistentVolumeClaim " + s.namespace("keeper") + "/keeper-data",
          "kept PersistentVolumeClaim " + s.namespace("keeper") + "/data-keeper-db-0", "kept PersistentVolumeClaim " + s.namespace("ledger") + "/ledger-data",
          "(--delete-pvcs deletes it)");

      // back to v1: the kept claims are taken up again (Helm adopts its own, the StatefulSet finds its claim)
      run(Cli.args("upgrade", s.signed("v1"), "--kubeconfig", kc, "--timeout", "90s"));
      assertThat(uids(client)).isEqualTo(uids);
      assertThat(SimState.deployedReleases(client)).containsKey(P + "-keeper/keeper");

      // (b) upgrade to v2 with --delete-pvcs: the PVCs go with their components
      r = run(Cli.args("upgrade", s.signed("v2"), "--kubeconfig", kc, "--timeout", "90s", "--delete-pvcs"));
      awaitNoPvcs(client, r.out());

      // (c) uninstall without --delete-pvcs keeps the PVCs, and so the namespaces that hold them
      run(Cli.args("upgrade", s.signed("v1"), "--kubeconfig", kc, "--timeout", "90s"));
      assertThat(pvcs(client)).containsExactlyElementsOf(all);
      r = run("uninstall", "--kubeconfig", kc, "--timeout", "90s");
      assertThat(SimState.deployedReleases(client).keySet()).noneMatch(k -> k.startsWith(P + "-"));
      assertThat(client.namespaces().withName(s.namespace("anchor")).get()).as("a namespace without PVCs goes").isNull();
      assertThat(client.namespaces().withName(s.namespace("ledger")).get()).as("the user's namespace stays").isNotNull();
      assertThat(r.out()).doesNotContain("still terminating", "namespace " + s.namespace("ledger"));
      assertThat(client.namespaces().withName(StackRevision.NAMESPACE).get()).isNull();
      assertThat(pvcs(client)).as(r.out()).containsExactlyElementsOf(all);
      var keeperNs = client.namespaces().withName(s.namespace("keeper")).get();
      assertThat(keeperNs).as("cnai made it, but it holds kept PVCs").isNotNull();
      assertThat(keeperNs.getMetadata().getDeletionTimestamp()).isNull();
      assertThat(r.out()).contains("namespace " + s.namespace("keeper") + " kept: it holds PersistentVolumeClaim(s) data-keeper-db-0, keeper-data");
      // the history goes with this uninstall: a later 'uninstall --delete-pvcs' would not know the claims (JupyterHub's hub-db-dir)
      assertThat(r.out()).contains("kept PersistentVolumeClaim " + s.namespace("keeper") + "/keeper-data ('kubectl delete pvc -n "
          + s.namespace("keeper") + " keeper-data' deletes it").doesNotContain("(--delete-pvcs deletes it)");

      // (c) PVCs kept by an earlier upgrade, then uninstall --delete-pvcs: all go (the ledger's, whose inventory
      // went with the upgrade, by its label), and the namespaces cnai made
      run(Cli.args("install", s.signed("v1"), "--kubeconfig", kc, "--timeout", "90s"));
      assertThat(pvcs(client)).containsExactlyElementsOf(all);
      run(Cli.args("upgrade", s.signed("v2"), "--kubeconfig", kc, "--timeout", "90s"));
      assertThat(pvcs(client)).containsExactlyElementsOf(all);
      r = run("uninstall", "--kubeconfig", kc, "--timeout", "90s", "--delete-pvcs");
      awaitNoPvcs(client, r.out());
      assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
          .doesNotContain(s.namespace("keeper"), s.namespace("anchor"), StackRevision.NAMESPACE).contains(s.namespace("ledger"));
      assertThat(r.out()).doesNotContain("still terminating", " kept");
    } finally {
      Cli.run("uninstall", "--kubeconfig", kc, "--delete-pvcs");
      for (String c : List.of("anchor", "keeper", "ledger")) {
        client.namespaces().withName(P + "-" + c).delete();
      }
    }
  }

  private static Cli.Result run(String... args) {
    Cli.Result r = Cli.run(args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
    return r;
  }

  /** The PVCs of the test's namespaces that are not being deleted, as namespace/name. */
  private static List<String> pvcs(KubernetesClient client) {
    TreeSet<String> out = new TreeSet<>();
    for (PersistentVolumeClaim c : client.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
      if (c.getMetadata().getNamespace().startsWith(P + "-") && c.getMetadata().getDeletionTimestamp() == null) {
        out.add(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName());
      }
    }
    return new ArrayList<>(out);
  }

  /** namespace/name -> uid of the test's PVCs. */
  private static Map<String, String> uids(KubernetesClient client) {
    Map<String, String> out = new TreeMap<>();
    for (PersistentVolumeClaim c : client.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
      if (c.getMetadata().getNamespace().startsWith(P + "-")) {
        out.put(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName(), c.getMetadata().getUid());
      }
    }
    return out;
  }

  /** Waits (a watch, not a poll) until no PVC is left in the test's namespaces; a claim in use goes once its pod has. */
  private static void awaitNoPvcs(KubernetesClient client, String output) {
    java.util.function.Predicate<PersistentVolumeClaim> ours = c -> c.getMetadata().getNamespace().startsWith(P + "-");
    try {
      client.persistentVolumeClaims().inAnyNamespace().informOnCondition(l -> l.stream().noneMatch(ours)).get(90, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      // the assertion below says what is left
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(client.persistentVolumeClaims().inAnyNamespace().list().getItems().stream().filter(ours)
        .map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()).toList())
        .as("PVCs left after --delete-pvcs\n" + output).isEmpty();
  }
}
