package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.conformance.ConformanceOptions;
import io.cnai.conformance.ConformanceResult;
import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.ScenarioOutcome;
import io.cnai.conformance.ScenarioOutcome.Status;
import io.cnai.distro.Component;
import io.cnai.distro.DistributionLoader;
import io.cnai.installer.TestPaths;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.revision.RevisionCodec;
import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack scenarios against a stack revision as 'cnai install' records it (written here by hand,
 * to stage states an install does not produce): a whole, locked, unchanged stack passes; a Helm release changed
 * outside cnai is drift, which fails the run with exit code 1.
 */
@SimClusterTest
class StackConformanceSimTest {
  @TempDir Path out;

  @Test
  void stackScenariosReadTheLastDeployedRevisionAndCatchDrift(SimCluster sim, KubernetesClient client) throws Exception {
    Component kueue = DistributionLoader.load(TestPaths.release()).component("kueue").orElseThrow();
    String ns = "conf-kueue-" + ProcessHandle.current().pid();
    boolean madeSystemNs = client.namespaces().withName(StackRevision.NAMESPACE).get() == null;
    List<Secret> made = new ArrayList<>();
    try {
      if (madeSystemNs) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(StackRevision.NAMESPACE)
            .endMetadata().build()).create();
      }
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      client.serviceAccounts().inNamespace(ns).withName("default")
          .waitUntilCondition(java.util.Objects::nonNull, 60, TimeUnit.SECONDS);
      client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata()
          .withName("kueue-controller-manager").endMetadata().withNewSpec().withReplicas(1)
          .withNewSelector().addToMatchLabels("app", "kueue").endSelector().withNewTemplate().withNewMetadata()
          .addToLabels("app", "kueue").endMetadata().withNewSpec().addNewContainer().withName("manager")
          .withImage(kueue.images().get(0).reference()).endContainer().endSpec().endTemplate().endSpec().build()).create();
      client.apps().deployments().inNamespace(ns).withName("kueue-controller-manager").waitUntilCondition(
          d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()), 60, TimeUnit.SECONDS);
      made.add(client.secrets().inNamespace(ns).resource(helmRelease(ns, "kueue", 1, "deployed")).create());
      made.add(client.secrets().inNamespace(StackRevision.NAMESPACE).resource(revisionSecret(1, kueue, ns)).create());

      ConformanceResult ok = run(sim, "@stack or @component-kueue");
      assertThat(ok.capabilities().has(io.cnai.conformance.Need.STACK)).isTrue();
      assertThat(ok.scenarios()).filteredOn(s -> s.hasTag("stack")).extracting(ScenarioOutcome::status)
          .containsOnly(Status.PASSED).hasSize(3);
      // the deployment is there but Kueue's CRDs are not: the component is not ready, a MUST fails
      assertThat(ok.scenarios()).filteredOn(s -> s.hasTag("component-kueue") && !s.hasTag("needs-containers"))
          .singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(Status.FAILED);
            assertThat(s.reason()).contains("CRD clusterqueues.kueue.x-k8s.io does not exist");
            assertThat(s.evidence()).anySatisfy(e -> assertThat(e).contains("1 workloads in " + ns + ", all available"));
          });
      assertThat(ok.scenarios()).filteredOn(s -> s.hasTag("component-kueue") && s.hasTag("needs-containers"))
          .extracting(ScenarioOutcome::reason).containsExactly("not run: all 4 Ready nodes are simulated by kwok "
              + "(annotation kwok.x-k8s.io/node=fake): containers do not run");
      assertThat(ok.exitCode()).isEqualTo(1);
      assertThat(ok.scenarios()).filteredOn(s -> s.name().contains("version and digest")).first()
          .satisfies(s -> assertThat(s.evidence()).anySatisfy(e -> assertThat(e).contains("kueue").contains("- match")));

      // someone upgrades the Helm release by hand: drift
      made.add(client.secrets().inNamespace(ns).resource(helmRelease(ns, "kueue", 2, "deployed")).create());
      ConformanceResult drift = run(sim, "@stack");
      assertThat(drift.scenarios()).filteredOn(s -> s.status() == Status.FAILED).extracting(ScenarioOutcome::name)
          .containsExactly("Nothing drifted from what cnai applied");
      assertThat(drift.failedMusts().get(0).reason()).contains("revision 2 but cnai recorded 1");
      assertThat(drift.exitCode()).isEqualTo(1);
    } finally {
      for (Secret s : made) {
        client.resource(s).delete();
      }
      client.namespaces().withName(ns).delete();
      if (madeSystemNs) {
        client.namespaces().withName(StackRevision.NAMESPACE).delete();
      }
    }
  }

  private ConformanceResult run(SimCluster sim, String tags) {
    return ConformanceRunner.run(new ConformanceOptions(sim.cluster().kubeconfig(), null, tags, out,
        TestPaths.root().resolve("distro/releases"), Clock.systemUTC(), ConformanceFixtures.submission()));
  }

  private static Secret helmRelease(String ns, String release, int version, String status) {
    return new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1." + release + ".v" + version).withNamespace(ns)
        .withLabels(Map.of("owner", "helm", "name", release, "version", Integer.toString(version), "status", status))
        .endMetadata().withType("helm.sh/release.v1").addToData("release", b64("{}")).build();
  }

  private static Secret revisionSecret(int revision, Component kueue, String ns) {
    StackRevision r = new StackRevision(revision, StackRevision.Action.INSTALL, StackRevision.Status.DEPLOYED, "cnai",
        "2026.11", "kind", "sha256:plan", "sha256:values", Instant.EPOCH, Instant.EPOCH, List.of(), "test",
        List.of(new StackRevision.ComponentRevision("kueue", ns, "helm", "kueue", kueue.source().version(),
            kueue.source().digest(), "sha256:v", "kueue", 1, "deployed")));
    return new SecretBuilder().withNewMetadata().withName(StackRevision.secretName(revision))
        .withNamespace(StackRevision.NAMESPACE)
        .withLabels(Map.of(StackRevision.OWNER_LABEL, StackRevision.OWNER, StackRevision.REVISION_LABEL,
            Integer.toString(revision), StackRevision.STATUS_LABEL, "deployed"))
        .endMetadata().withType(StackRevision.SECRET_TYPE).addToData(StackRevision.DATA_KEY, b64(RevisionCodec.toJson(r))).build();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
