package io.cnai.installer.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cli.Cli;
import io.cnai.installer.cluster.Cluster;
import io.cnai.installer.cluster.testkit.SimClusterTest;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'cnai classroom' on a real API server (sim: simulated nodes): what create makes, isolation as the
 * authorizer sees it, reset of one student, Kueue queues when Kueue's CRDs are served, capacity
 * refusal, and delete leaving nothing behind. Each test ends with the classroom deleted.
 */
@SimClusterTest
class ClassroomSimTest {
  @TempDir Path dir;

  private Cluster cluster;

  private Cli.Result cnai(Cluster c, String... args) {
    this.cluster = c;
    List<String> all = new ArrayList<>(List.of("classroom"));
    all.addAll(List.of(args));
    all.addAll(List.of("--kubeconfig", c.kubeconfig().toString()));
    if (c.context() != null) {
      all.addAll(List.of("--context", c.context()));
    }
    return Cli.run(all.toArray(String[]::new));
  }

  @AfterEach
  void deleteClassroom() {
    if (cluster != null) {
      Cli.Result r = cnai(cluster, "delete");
      assertThat(r.exit()).as(r.err()).isZero();
    }
  }

  private static boolean can(KubernetesClient client, String user, String verb, String resource, String namespace) {
    var review = new SubjectAccessReviewBuilder().withNewSpec().withUser(user)
        .withGroups(user.startsWith("system:serviceaccount:") ? List.of("system:serviceaccounts", "system:authenticated") : List.of("system:authenticated"))
        .withNewResourceAttributes().withVerb(verb).withResource(resource).withNamespace(namespace).endResourceAttributes().endSpec().build();
    return Boolean.TRUE.equals(client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed());
  }

  private static String token(KubernetesClient client, String ns) {
    var s = client.secrets().inNamespace(ns).withName(Manifests.CREDENTIALS).get();
    return new String(Base64.getDecoder().decode(s.getData().get("token")), StandardCharsets.UTF_8);
  }

  @Test
  void createGivesEachStudentAnIsolatedNamespace(Cluster c, KubernetesClient client) {
    Cli.Result r = cnai(c, "create", "--students", "3");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("3 students").contains("queues: skipped, Kueue's CRDs are not served")
        .contains("nodes are simulated");
    for (String ns : List.of("class-s01", "class-s02", "class-s03")) {
      var n = client.namespaces().withName(ns).get();
      assertThat(n.getMetadata().getLabels()).containsEntry(Manifests.CLASSROOM_LABEL, "true")
          .containsEntry(Manifests.STUDENT_LABEL, ns.substring(6)).containsEntry("app.kubernetes.io/managed-by", "cnai");
      assertThat(client.resourceQuotas().inNamespace(ns).withName("classroom").get().getSpec().getHard())
          .containsKeys("requests.cpu", "limits.memory", "requests.nvidia.com/gpu");
      assertThat(client.limitRanges().inNamespace(ns).withName("classroom").get()).isNotNull();
      assertThat(client.network().v1().networkPolicies().inNamespace(ns).withName("classroom-isolation").get()).as("NetworkPolicy in " + ns).isNotNull();
      assertThat(client.rbac().roleBindings().inNamespace(ns).withName("student").get().getSubjects()).hasSize(2);
      assertThat(token(client, ns)).hasSize(48);
      assertThat(client.apps().deployments().inNamespace(ns).withName(Manifests.JUPYTER).get()).isNotNull();
      assertThat(client.services().inNamespace(ns).withName(Manifests.JUPYTER).get()).isNotNull();
      assertThat(client.network().v1().ingresses().inNamespace(ns).withName(Manifests.JUPYTER).get()).isNotNull();
      Map<String, String> lessons = client.configMaps().inNamespace(ns).withName(Manifests.LESSONS).get().getData();
      assertThat(lessons.keySet().stream().filter(k -> k.endsWith(".md"))).hasSize(Exercises.ALL.size());
      assertThat(lessons).containsKey("kids-day-02-digits.ipynb");
    }
    assertThat(token(client, "class-s01")).isNotEqualTo(token(client, "class-s02"));

    // isolation, as the API server's authorizer decides it
    String sa1 = "system:serviceaccount:class-s01:student-s01";
    assertThat(can(client, sa1, "create", "pods", "class-s01")).as("A creates pods in A").isTrue();
    assertThat(can(client, sa1, "create", "pods", "class-s02")).as("A creates pods in B").isFalse();
    assertThat(can(client, sa1, "get", "secrets", "class-s02")).as("A reads B's secrets").isFalse();
    assertThat(can(client, sa1, "list", "secrets", null)).as("A lists secrets cluster-wide").isFalse();
    assertThat(can(client, sa1, "update", "resourcequotas", "class-s01")).as("A raises own quota").isFalse();
    assertThat(can(client, sa1, "delete", "networkpolicies", "class-s01")).as("A removes own isolation").isFalse();
    assertThat(can(client, "student-s01", "create", "pods", "class-s01")).as("user student-s01 in A").isTrue();
    assertThat(can(client, "student-s01", "create", "pods", "class-s03")).as("user student-s01 in C").isFalse();

    // the same again: nothing changes, tokens are kept
    String before = token(client, "class-s02");
    assertThat(cnai(c, "create", "--students", "3").exit()).isZero();
    assertThat(token(client, "class-s02")).isEqualTo(before);
  }

  @Test
  void statusNeverCallsASimulatedServerReady(Cluster c, KubernetesClient client) throws Exception {
    assertThat(cnai(c, "create", "--students", "2").exit()).isZero();
    // the scheduler places the JupyterLab pods on kwok nodes, which report them Running
    client.pods().inNamespace("class-s01").withLabel(Manifests.APP_LABEL, Manifests.JUPYTER)
        .waitUntilCondition(p -> p != null && p.getSpec().getNodeName() != null, 60, TimeUnit.SECONDS);
    client.configMaps().inNamespace("class-s02").resource(new ConfigMapBuilder().withNewMetadata().withName("digits-score").endMetadata()
        .addToData("score", "97").build()).create();
    Cli.Result r = cnai(c, "status");
    assertThat(r.exit()).as("not every server is really ready").isEqualTo(1);
    assertThat(r.out()).contains("s01").contains("simulated").contains("no JupyterLab server is ready for students").doesNotContain("All JupyterLab servers are ready");
    Cli.Result json = cnai(c, "status", "-o", "json");
    var tree = io.cnai.installer.json.Mappers.JSON.readTree(json.out());
    assertThat(tree.path("allReady").asBoolean(true)).isFalse();
    assertThat(tree.path("containersRun").asBoolean(true)).isFalse();
    assertThat(tree.path("students").get(0).path("server").asText()).isEqualTo("simulated");
    var s02 = tree.path("students").get(1);
    assertThat(s02.path("name").asText()).isEqualTo("s02");
    assertThat(s02.path("exercises").path("digits").asBoolean()).isTrue();
    assertThat(s02.path("exercises").path("pod-comes-back").asBoolean(true)).isFalse();
    assertThat(s02.path("exercises").path("deploy-model").isNull()).as("KServe not installed: cannot check").isTrue();
  }

  @Test
  void resetOneStudentLeavesTheOthersUntouched(Cluster c, KubernetesClient client) {
    assertThat(cnai(c, "create", "--students", "3").exit()).isZero();
    for (String ns : List.of("class-s01", "class-s02")) {
      client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("digits-score").endMetadata()
          .addToData("score", "90").build()).create();
      client.apps().deployments().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
          .withNewMetadata().withName("phippy").endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "phippy").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", "phippy").endMetadata().withNewSpec().addNewContainer().withName("c")
          .withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build()).create();
    }
    // s01 also breaks what cnai made for them: their lessons and their server
    client.configMaps().inNamespace("class-s01").withName(Manifests.LESSONS).delete();
    client.apps().deployments().inNamespace("class-s01").withName(Manifests.JUPYTER).scale(0);
    client.pods().inNamespace("class-s01").withLabel("app", "phippy").waitUntilCondition(p -> p != null, 60, TimeUnit.SECONDS);
    String uid2 = client.namespaces().withName("class-s02").get().getMetadata().getUid();
    String token1 = token(client, "class-s01");

    Cli.Result r = cnai(c, "reset", "s01");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("student s01 back to the start");
    assertThat(client.configMaps().inNamespace("class-s01").withName("digits-score").get()).as("s01's work is gone").isNull();
    assertThat(client.apps().deployments().inNamespace("class-s01").withName("phippy").get()).isNull();
    assertThat(client.pods().inNamespace("class-s01").withLabel("app", "phippy").list().getItems()).as("and its pods").isEmpty();
    assertThat(client.configMaps().inNamespace("class-s01").withName(Manifests.LESSONS).get()).as("lessons back").isNotNull();
    assertThat(client.apps().deployments().inNamespace("class-s01").withName(Manifests.JUPYTER).get().getSpec().getReplicas()).isEqualTo(1);
    assertThat(client.rbac().roleBindings().inNamespace("class-s01").withName("student").get()).isNotNull();
    assertThat(token(client, "class-s01")).as("the handout stays valid").isEqualTo(token1);
    assertThat(client.namespaces().withName("class-s02").get().getMetadata().getUid()).isEqualTo(uid2);
    assertThat(client.configMaps().inNamespace("class-s02").withName("digits-score").get()).as("s02's work stays").isNotNull();
    assertThat(client.apps().deployments().inNamespace("class-s02").withName("phippy").get()).isNotNull();

    // everyone
    assertThat(cnai(c, "reset").out()).contains("3 students back to the start");
    assertThat(client.configMaps().inNamespace("class-s02").withName("digits-score").get()).isNull();
    assertThat(client.configMaps().inNamespace("class-s02").withName(Manifests.LESSONS).get()).isNotNull();

    assertThat(cnai(c, "reset", "nobody").exit()).isEqualTo(2);
  }

  @Test
  void kueueQueuesWhenKueueIsServed(Cluster c, KubernetesClient client) {
    List<CustomResourceDefinition> crds = kueueCrds(client);
    try {
      Cli.Result r = cnai(c, "create", "--students", "2", "--size", "medium");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("under ClusterQueue 'cnai-classroom' (kueue.x-k8s.io/v1beta1)");
      var lq = client.genericKubernetesResources("kueue.x-k8s.io/v1beta1", "LocalQueue").inNamespace("class-s02").withName("default").get();
      assertThat(lq).isNotNull();
      assertThat(lq.get("spec", "clusterQueue").toString()).isEqualTo("cnai-classroom");
      var cq = client.genericKubernetesResources("kueue.x-k8s.io/v1beta1", "ClusterQueue").withName("cnai-classroom").get();
      assertThat(cq.toString()).contains("4000m").contains("UsageBasedAdmissionFairSharing");
      assertThat(cnai(c, "delete").out()).contains("ClusterQueue/cnai-classroom").contains("ResourceFlavor/cnai-classroom");
      assertThat(client.genericKubernetesResources("kueue.x-k8s.io/v1beta1", "ClusterQueue").withName("cnai-classroom").get()).isNull();
    } finally {
      removeCrds(client, crds);
    }
  }

  @Test
  void deleteWhileKueueIsGoingAwayStillRemovesTheClassroom(Cluster c, KubernetesClient client) {
    List<CustomResourceDefinition> crds = kueueCrds(client);
    try {
      Cli.Result r = cnai(c, "create", "--students", "2");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("under ClusterQueue 'cnai-classroom'");
      // Kueue is being uninstalled: ResourceFlavor's CRD is gone, ClusterQueue's still served
      client.apiextensions().v1().customResourceDefinitions().withName("resourceflavors.kueue.x-k8s.io").delete();
      client.apiextensions().v1().customResourceDefinitions().withName("resourceflavors.kueue.x-k8s.io").waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
      Cli.Result d = cnai(c, "delete");
      assertThat(d.exit()).as(d.err()).isZero();
      assertThat(d.out()).contains("ClusterQueue/cnai-classroom").doesNotContain("ResourceFlavor/");
      assertThat(client.namespaces().withLabel(Manifests.CLASSROOM_LABEL, "true").list().getItems()).isEmpty();
      assertThat(client.genericKubernetesResources("kueue.x-k8s.io/v1beta1", "ClusterQueue").withName("cnai-classroom").get()).isNull();
    } finally {
      removeCrds(client, crds);
    }
  }

  /** Deletes the stand-ins and waits until they are gone: the next test must not see Kueue served while its CRDs terminate. */
  private static void removeCrds(KubernetesClient client, List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).delete();
    }
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
    }
  }

  /** Makes the stand-ins for Kueue's CRDs and waits until the API server has established them. */
  private static List<CustomResourceDefinition> kueueCrds(KubernetesClient client) {
    List<CustomResourceDefinition> crds = List.of(crd("ClusterQueue", "clusterqueues", "Cluster"),
        crd("LocalQueue", "localqueues", "Namespaced"), crd("ResourceFlavor", "resourceflavors", "Cluster"));
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    }
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).waitUntilCondition(x -> x != null
          && x.getStatus() != null && x.getStatus().getConditions().stream().anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())),
          60, TimeUnit.SECONDS);
    }
    return crds;
  }

  /** Stand-ins for Kueue's CRDs (same group, versions, kinds and scope; the schema keeps every field). */
  private static CustomResourceDefinition crd(String kind, String plural, String scope) {
    return new CustomResourceDefinitionBuilder().withNewMetadata().withName(plural + ".kueue.x-k8s.io").endMetadata()
        .withNewSpec().withGroup("kueue.x-k8s.io").withScope(scope)
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(java.util.Locale.ROOT)).endNames()
        .addNewVersion().withName("v1beta1").withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
        .endVersion().endSpec().build();
  }

  private static Set<String> names(List<? extends HasMetadata> items) {
    TreeSet<String> out = new TreeSet<>();
    items.stream().filter(i -> i.getMetadata().getDeletionTimestamp() == null).forEach(i -> out.add(i.getMetadata().getName()));
    return out;
  }

  @Test
  void deleteLeavesNothingBehind(Cluster c, KubernetesClient client) {
    Set<String> namespaces = names(client.namespaces().list().getItems());
    Set<String> roles = names(client.rbac().clusterRoles().list().getItems());
    Set<String> bindings = names(client.rbac().clusterRoleBindings().list().getItems());
    assertThat(cnai(c, "create", "--students", "4").exit()).isZero();
    assertThat(names(client.namespaces().list().getItems())).contains("class-s04");
    assertThat(names(client.rbac().clusterRoles().list().getItems())).contains(Manifests.SHARED_NAME);

    Cli.Result r = cnai(c, "delete");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("deleted: 4 student namespaces").contains("ClusterRole/" + Manifests.SHARED_NAME);
    assertThat(client.namespaces().withLabel(Manifests.CLASSROOM_LABEL).list().getItems()).as("namespaces, terminating ones included").isEmpty();
    assertThat(names(client.namespaces().list().getItems())).isEqualTo(namespaces);
    assertThat(names(client.rbac().clusterRoles().list().getItems())).isEqualTo(roles);
    assertThat(names(client.rbac().clusterRoleBindings().list().getItems())).isEqualTo(bindings);
    assertThat(cnai(c, "delete").out()).contains("nothing to delete");
  }

  @Test
  void tooManyStudentsForTheClusterIsRefusedAndNothingIsMade(Cluster c, KubernetesClient client) throws Exception {
    // the test cluster has 256 CPUs allocatable: 64 large students (4 CPUs each) do not fit next to the stack
    Path roster = dir.resolve("big.csv");
    Files.writeString(roster, "name,size\n" + String.join("\n", Stream.iterate(1, i -> i + 1).limit(70).map(i -> "kid" + i + ",large").toList()) + "\n");
    Set<String> roles = names(client.rbac().clusterRoles().list().getItems());
    Cli.Result r = cnai(c, "create", "--roster", roster.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("big.csv:").contains("too many students for this cluster").contains("nothing was created");
    assertThat(client.namespaces().withLabel(Manifests.CLASSROOM_LABEL).list().getItems()).isEmpty();
    assertThat(names(client.rbac().clusterRoles().list().getItems())).isEqualTo(roles);
  }

  @Test
  void handoutsCarryEachStudentsToken(Cluster c, KubernetesClient client) throws Exception {
    Path roster = dir.resolve("class.csv");
    Files.writeString(roster, "ada,medium\ngrace\n");
    assertThat(cnai(c, "create", "--roster", roster.toString(), "--url", "http://class.lan:8080").exit()).isZero();
    Cli.Result r = cnai(c, "handouts", "--output-dir", dir.resolve("out").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String ada = Files.readString(dir.resolve("out/ada.html"));
    assertThat(ada).contains(token(client, "class-ada")).contains("http://class.lan:8080/class-ada/lab").contains("medium");
    assertThat(Files.readString(dir.resolve("out/facilitator.html"))).contains(token(client, "class-grace"));
  }
}
