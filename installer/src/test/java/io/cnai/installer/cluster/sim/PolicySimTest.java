package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.cnai.installer.cluster.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Admission and authorization are the API server's own: quotas and RBAC are enforced. */
@SimClusterTest
class PolicySimTest {
  @Test
  void resourceQuotaRejectsAnOverQuotaPod(KubernetesClient client, TestNamespace ns) {
    ResourceQuota q =
        new ResourceQuotaBuilder()
            .withNewMetadata().withName("small").endMetadata()
            .withNewSpec().withHard(Map.of("requests.cpu", new Quantity("1"), "pods", new Quantity("5"))).endSpec()
            .build();
    client.resourceQuotas().inNamespace(ns.name()).resource(q).create();
    // Admission trusts the quota once the quota controller has computed its status.
    client.resourceQuotas().inNamespace(ns.name()).withName("small")
        .waitUntilCondition(
            r -> r != null && r.getStatus() != null && r.getStatus().getHard() != null
                && r.getStatus().getHard().containsKey("requests.cpu"),
            60, TimeUnit.SECONDS);

    var pod =
        new PodBuilder()
            .withNewMetadata().withName("greedy").endMetadata()
            .withNewSpec()
            .addNewContainer().withName("c").withImage("registry.invalid/c:1")
            .withNewResources().withRequests(Map.of("cpu", new Quantity("2"))).endResources()
            .endContainer()
            .endSpec()
            .build();
    assertThatThrownBy(() -> client.pods().inNamespace(ns.name()).resource(pod).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains("exceeded quota: small").contains("requests.cpu");
            });
    assertThat(client.pods().inNamespace(ns.name()).withName("greedy").get()).isNull();
  }

  @Test
  void rbacKeepsAServiceAccountInItsNamespace(KubernetesClient client, TestNamespace ns) {
    String other = ns.name() + "-other";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(other).endMetadata().build()).create();
    try {
      client.serviceAccounts().inNamespace(ns.name())
          .resource(new ServiceAccountBuilder().withNewMetadata().withName("reader").endMetadata().build()).create();
      client.rbac().roles().inNamespace(ns.name())
          .resource(new RoleBuilder().withNewMetadata().withName("pod-reader").endMetadata()
              .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "watch").endRule()
              .build())
          .create();
      client.rbac().roleBindings().inNamespace(ns.name())
          .resource(new RoleBindingBuilder().withNewMetadata().withName("reader-reads-pods").endMetadata()
              .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("pod-reader").endRoleRef()
              .addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace(ns.name()).endSubject()
              .build())
          .create();

      String user = "system:serviceaccount:" + ns.name() + ":reader";
      String[] groups = {"system:serviceaccounts", "system:serviceaccounts:" + ns.name(), "system:authenticated"};

      // SubjectAccessReview: the authorizer's own answer.
      assertThat(review(client, user, groups, ns.name()).getStatus().getAllowed()).isTrue();
      SubjectAccessReview denied = review(client, user, groups, other);
      assertThat(denied.getStatus().getAllowed()).isFalse();

      // Impersonation: the same requests, made as the service account.
      try (KubernetesClient asReader =
          new KubernetesClientBuilder()
              .withConfig(new ConfigBuilder(client.getConfiguration())
                  .withImpersonateUsername(user).withImpersonateGroups(groups).build())
              .build()) {
        assertThat(asReader.pods().inNamespace(ns.name()).list().getItems()).isEmpty();
        assertThatThrownBy(() -> asReader.pods().inNamespace(other).list())
            .isInstanceOfSatisfying(
                KubernetesClientException.class,
                e -> {
                  assertThat(e.getCode()).isEqualTo(403);
                  assertThat(e.getMessage()).contains(user).contains("cannot list resource \"pods\"");
                });
        assertThatThrownBy(() -> asReader.secrets().inNamespace(ns.name()).list())
            .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      }
    } finally {
      client.namespaces().withName(other).delete();
    }
  }

  private static SubjectAccessReview review(KubernetesClient client, String user, String[] groups, String namespace) {
    return client.authorization().v1().subjectAccessReview()
        .create(new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(user)
            .withGroups(groups)
            .withNewResourceAttributes().withNamespace(namespace).withVerb("list").withResource("pods").endResourceAttributes()
            .endSpec()
            .build());
  }
}
