package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.conformance.ConformanceOptions;
import io.cnai.conformance.ConformanceResult;
import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.RunnerPermissions;
import io.cnai.conformance.ScenarioOutcome;
import io.cnai.conformance.StackRevisions;
import io.cnai.conformance.template.TemplateParser;
import io.cnai.installer.TestPaths;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-cluster runner's RBAC on the shared sim cluster, where the API and scheduling scenarios run
 * (DRA objects, GPU placement, quotas, RBAC by impersonation, CRDs, autoscalers): the suite run as a
 * service account holding only {@link RunnerPermissions} gives the same outcomes as the run with the
 * administrator's kubeconfig, and the service account is refused what the suite does not need.
 */
@SimClusterTest
class RunnerPermissionsSimTest {
  @TempDir Path out;

  @Test
  void theSuiteAsTheRunnersServiceAccountGivesTheAdministratorsOutcomes(SimCluster sim, KubernetesClient admin) throws Exception {
    String ns = "cnai-rbac-" + ProcessHandle.current().pid();
    String sa = "runner";
    List<String> roleNamespaces = new ArrayList<>();
    try {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName(sa).endMetadata()
          .build()).create();
      admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(ns).endMetadata()
          .withRules(RunnerPermissions.clusterRules()).build()).create();
      admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(ns).endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(ns).endRoleRef()
          .addNewSubject().withKind("ServiceAccount").withName(sa).withNamespace(ns).endSubject().build()).create();
      for (String where : RunnerPermissions.secretNamespaces(StackRevisions.lastDeployed(admin))) {
        if (admin.namespaces().withName(where).get() != null) {
          roleNamespaces.add(where);
          admin.rbac().roles().inNamespace(where).resource(new RoleBuilder().withNewMetadata().withName(ns).endMetadata()
              .withRules(RunnerPermissions.secretRules()).build()).create();
          admin.rbac().roleBindings().inNamespace(where).resource(new RoleBindingBuilder().withNewMetadata().withName(ns)
              .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(ns).endRoleRef()
              .addNewSubject().withKind("ServiceAccount").withName(sa).withNamespace(ns).endSubject().build()).create();
        }
      }
      String token = admin.serviceAccounts().inNamespace(ns).withName(sa).tokenRequest(new TokenRequestBuilder()
          .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
      Config a = admin.getConfiguration();
      Config runner = new ConfigBuilder(Config.empty()).withMasterUrl(a.getMasterUrl()).withCaCertData(a.getCaCertData())
          .withCaCertFile(a.getCaCertFile()).withOauthToken(token).build();

      Path template = ConformanceFixtures.template();
      ConformanceResult asRunner = ConformanceRunner.runInCluster(new ConformanceOptions(null, null, null, out.resolve("runner"),
              TestPaths.root().resolve("distro/releases"), Clock.systemUTC(), ConformanceFixtures.submission()),
          runner, TemplateParser.parse(template.toString(), Files.readAllBytes(template)));
      ConformanceResult asAdmin = ConformanceRunner.run(new ConformanceOptions(sim.cluster().kubeconfig(), null, null,
          out.resolve("admin"), TestPaths.root().resolve("distro/releases"), Clock.systemUTC(), ConformanceFixtures.submission()));
      System.out.print(asRunner.summary());

      assertThat(asRunner.count(ScenarioOutcome.Status.PASSED)).as("the API and scheduling scenarios run").isGreaterThanOrEqualTo(9);
      assertThat(outcomes(asRunner)).as(asRunner.summary()).isEqualTo(outcomes(asAdmin));
      Map<String, String> runnerAnswers = new TreeMap<>();
      asRunner.requirements().forEach(r -> runnerAnswers.put(r.requirement().id(), r.status()));
      Map<String, String> adminAnswers = new TreeMap<>();
      asAdmin.requirements().forEach(r -> adminAnswers.put(r.requirement().id(), r.status()));
      assertThat(runnerAnswers).isEqualTo(adminAnswers);

      // and nothing more than the suite needs
      try (KubernetesClient as = new KubernetesClientBuilder().withConfig(runner).build()) {
        assertForbidden(() -> as.secrets().inNamespace("kube-system").list());
        assertForbidden(() -> as.configMaps().inNamespace("kube-system").list());
        assertForbidden(() -> as.rbac().clusterRoleBindings().list());
        assertForbidden(() -> as.nodes().withName(as.nodes().list().getItems().get(0).getMetadata().getName()).delete());
        Config groups = new ConfigBuilder(runner).withImpersonateUsername("nobody").withImpersonateGroups("system:masters").build();
        try (KubernetesClient masters = new KubernetesClientBuilder().withConfig(groups).build()) {
          assertForbidden(() -> masters.namespaces().list());
        }
      }
    } finally {
      for (String where : roleNamespaces) {
        admin.rbac().roleBindings().inNamespace(where).withName(ns).delete();
        admin.rbac().roles().inNamespace(where).withName(ns).delete();
      }
      admin.rbac().clusterRoleBindings().withName(ns).delete();
      admin.rbac().clusterRoles().withName(ns).delete();
      admin.namespaces().withName(ns).delete();
    }
  }

  private static Map<String, String> outcomes(ConformanceResult r) {
    Map<String, String> m = new TreeMap<>();
    r.scenarios().forEach(s -> m.put(s.name(), s.status().name()));
    return m;
  }

  private static void assertForbidden(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
  }
}
