package io.cnai.conformance.steps;

import static io.cnai.conformance.steps.Steps.check;

import io.cnai.conformance.CapabilityProbe;
import io.cnai.conformance.RunContext;
import io.cnai.conformance.ScenarioWorld;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Steps that go through the scheduler and admission: where accelerator pods land, what pods
 * without a request get, quotas, RBAC between namespaces, and autoscaler objects.
 */
public final class SchedulingSteps {
  static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";
  static final long WAIT_SECONDS = 60;

  private ScenarioWorld world() {
    return RunContext.current().world();
  }

  private KubernetesClient client() {
    return world().client();
  }

  private Map<String, String> namespaces() {
    Map<String, String> m = world().getOrDefault("namespaces", null);
    if (m == null) {
      m = new HashMap<>();
      world().put("namespaces", m);
    }
    return m;
  }

  private String ns(String logical) {
    return namespaces().computeIfAbsent(logical, k -> world().newNamespace(k));
  }

  // ---- pods and accelerators

  @When("I run a pod {string} requesting {int} {string}")
  public void podRequesting(String name, int count, String resource) {
    createPod(world().namespace(), name, Map.of(resource, count), Map.of());
  }

  @When("I run a pod {string} without an accelerator request on a node labelled {string}")
  public void podWithoutRequest(String name, String label) {
    String[] kv = label.split("=", 2);
    createPod(world().namespace(), name, Map.of(), Map.of(kv[0], kv[1]));
  }

  private Pod createPod(String ns, String name, Map<String, Integer> limits, Map<String, String> nodeSelector) {
    Pod pod = pod(ns, name, limits, nodeSelector);
    Pod made = client().pods().inNamespace(ns).resource(pod).create();
    world().evidence("created pod " + ns + "/" + name + (limits.isEmpty() ? " without resource limits" : " with limits " + limits)
        + (nodeSelector.isEmpty() ? "" : ", nodeSelector " + nodeSelector));
    return made;
  }

  static Pod pod(String ns, String name, Map<String, Integer> limits, Map<String, String> nodeSelector) {
    Map<String, Quantity> q = new HashMap<>();
    limits.forEach((k, v) -> q.put(k, new Quantity(Integer.toString(v))));
    Container c = new ContainerBuilder().withName("main").withImage(PAUSE_IMAGE)
        .withResources(new ResourceRequirementsBuilder().withLimits(q).withRequests(q).build()).build();
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withContainers(c).withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
        .withTerminationGracePeriodSeconds(0L).endSpec().build();
  }

  @Then("the pod {string} is scheduled onto a node that advertises {string}")
  public void scheduledOnto(String name, String resource) {
    Pod p = waitScheduled(name);
    Node node = client().nodes().withName(p.getSpec().getNodeName()).get();
    Quantity q = node.getStatus().getAllocatable().get(resource);
    world().evidence("pod " + name + " was bound to node " + node.getMetadata().getName() + ", which has allocatable "
        + resource + "=" + (q == null ? "none" : q.toString()));
    check(q != null && q.getNumericalAmount().signum() > 0,
        "pod " + name + " asked for " + resource + " but landed on " + node.getMetadata().getName() + " which has none");
  }

  @Then("the pod {string} is scheduled and none of its containers is allotted {string}")
  public void scheduledWithout(String name, String resource) {
    Pod p = waitScheduled(name);
    for (Container c : p.getSpec().getContainers()) {
      boolean has = c.getResources() != null
          && ((c.getResources().getLimits() != null && c.getResources().getLimits().containsKey(resource))
              || (c.getResources().getRequests() != null && c.getResources().getRequests().containsKey(resource)));
      check(!has, "container " + c.getName() + " of pod " + name + " was given " + resource + " though it asked for none");
    }
    check(p.getSpec().getResourceClaims() == null || p.getSpec().getResourceClaims().isEmpty(),
        "pod " + name + " holds resource claims it did not ask for: " + p.getSpec().getResourceClaims());
    world().evidence("pod " + name + " was bound to " + p.getSpec().getNodeName()
        + "; after admission its containers carry no " + resource + " request or limit and it holds no resource claim");
  }

  @Then("the pod {string} stays unschedulable because of insufficient {string}")
  public void unschedulable(String name, String resource) {
    String ns = world().namespace();
    Pod p;
    try {
      p = client().pods().inNamespace(ns).withName(name).waitUntilCondition(
          x -> x != null && condition(x, "PodScheduled").map(c -> "False".equals(c.getStatus())
              && "Unschedulable".equals(c.getReason())).orElse(false), WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      throw new AssertionError("pod " + name + " was not reported Unschedulable within " + WAIT_SECONDS + " s");
    }
    PodCondition c = condition(p, "PodScheduled").orElseThrow();
    world().evidence("pod " + name + ": PodScheduled=False, reason " + c.getReason() + ": " + c.getMessage());
    check(p.getSpec().getNodeName() == null, "pod " + name + " was bound to " + p.getSpec().getNodeName());
    check(c.getMessage() != null && c.getMessage().contains("Insufficient " + resource),
        "the scheduler gave another reason: " + c.getMessage());
  }

  private Pod waitScheduled(String name) {
    String ns = world().namespace();
    try {
      return client().pods().inNamespace(ns).withName(name).waitUntilCondition(
          p -> p != null && p.getSpec().getNodeName() != null, WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      Pod p = client().pods().inNamespace(ns).withName(name).get();
      throw new AssertionError("pod " + name + " was not scheduled within " + WAIT_SECONDS + " s: "
          + (p == null ? "gone" : condition(p, "PodScheduled").map(PodCondition::getMessage).orElse("no condition")));
    }
  }

  static Optional<PodCondition> condition(Pod p, String type) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  @Then("every node that advertises {string} carries the labels {string}")
  public void gpuLabels(String resource, String labels) {
    List<Node> gpu = client().nodes().list().getItems().stream()
        .filter(n -> n.getStatus().getAllocatable() != null && n.getStatus().getAllocatable().containsKey(resource)
            && !CapabilityProbe.simulated(n))
        .toList();
    check(!gpu.isEmpty(), "no real node advertises " + resource);
    for (Node n : gpu) {
      Map<String, String> l = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
      for (String key : ApiSteps.split(labels)) {
        check(l.containsKey(key), "node " + n.getMetadata().getName() + " lacks label " + key);
        world().evidence(n.getMetadata().getName() + ": " + key + "=" + l.get(key));
      }
    }
  }

  // ---- quota

  @Given("my namespace has a quota of {int} {string}")
  public void quota(int count, String resource) {
    String ns = world().namespace();
    ResourceQuota q = new ResourceQuotaBuilder().withNewMetadata().withName("accelerators").withNamespace(ns).endMetadata()
        .withNewSpec().addToHard("requests." + resource, new Quantity(Integer.toString(count))).endSpec().build();
    client().resourceQuotas().inNamespace(ns).resource(q).create();
    try {
      // admission refuses pods until the quota controller has computed the quota's status
      client().resourceQuotas().inNamespace(ns).withName("accelerators").waitUntilCondition(
          x -> x != null && x.getStatus() != null && x.getStatus().getHard() != null && !x.getStatus().getHard().isEmpty(),
          WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      throw new AssertionError("the quota controller did not compute quota " + ns + "/accelerators within " + WAIT_SECONDS + " s");
    }
    world().evidence("ResourceQuota " + ns + "/accelerators: requests." + resource + "=" + count);
  }

  @Then("a pod {string} requesting {int} {string} is refused by the quota")
  public void refusedByQuota(String name, int count, String resource) {
    String ns = world().namespace();
    try {
      client().pods().inNamespace(ns).resource(pod(ns, name, Map.of(resource, count), Map.of())).create();
    } catch (KubernetesClientException e) {
      world().evidence("pod " + name + " asking for " + count + " " + resource + ": refused, HTTP " + e.getCode() + " "
          + ApiSteps.firstLine(e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
      check(e.getCode() == 403 && String.valueOf(e.getMessage()).contains("exceeded quota"),
          "refused, but not by the quota: " + e.getMessage());
      return;
    }
    world().evidence("pod " + name + " asking for " + count + " " + resource + ": admitted");
    throw new AssertionError("pod " + name + " was admitted beyond the namespace's quota of " + resource);
  }

  // ---- RBAC

  @Given("namespaces {string} and {string}")
  public void twoNamespaces(String a, String b) {
    ns(a);
    ns(b);
  }

  @Given("a service account {string} in {string} bound to the ClusterRole {string} in {string}")
  public void serviceAccount(String sa, String saNs, String role, String bindNs) {
    String real = ns(saNs);
    client().serviceAccounts().inNamespace(real).resource(new ServiceAccountBuilder().withNewMetadata().withName(sa)
        .withNamespace(real).endMetadata().build()).create();
    String where = ns(bindNs);
    client().rbac().roleBindings().inNamespace(where).resource(new RoleBindingBuilder().withNewMetadata()
        .withName(sa + "-" + role).withNamespace(where).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(sa).withNamespace(real).endSubject().build()).create();
    world().evidence("service account " + real + "/" + sa + " bound to ClusterRole " + role + " in " + where);
  }

  @Then("{string} of {string} can create a pod requesting {int} {string} in {string}")
  public void canCreate(String sa, String saNs, int count, String resource, String target) {
    String t = ns(target);
    KubernetesClientException last = null;
    // a new RoleBinding reaches the authorizer's cache within moments; try for a short while
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (KubernetesClient as = impersonate(sa, ns(saNs))) {
      while (System.nanoTime() < until) {
        try {
          as.pods().inNamespace(t).resource(pod(t, "by-" + sa, Map.of(resource, count), Map.of())).create();
          world().evidence("as " + sa + ": created a pod asking for " + count + " " + resource + " in " + t);
          return;
        } catch (KubernetesClientException e) {
          last = e;
          if (e.getCode() != 403) {
            break;
          }
          sleep(200);
        }
      }
    }
    throw new AssertionError(sa + " could not create a pod in " + t + ": " + (last == null ? "" : last.getMessage()));
  }

  @Then("{string} of {string} is forbidden to create a pod requesting {int} {string} in {string}")
  public void forbidden(String sa, String saNs, int count, String resource, String target) {
    String t = ns(target);
    try (KubernetesClient as = impersonate(sa, ns(saNs))) {
      as.pods().inNamespace(t).resource(pod(t, "by-" + sa, Map.of(resource, count), Map.of())).create();
    } catch (KubernetesClientException e) {
      world().evidence("as " + sa + ": creating a pod in " + t + " refused, HTTP " + e.getCode());
      check(e.getCode() == 403, "refused, but not as forbidden: " + e.getMessage());
      return;
    }
    throw new AssertionError(sa + " created a pod in " + t + ", a namespace it has no role in");
  }

  @Then("{string} of {string} is forbidden to list the pods of {string}")
  public void forbiddenList(String sa, String saNs, String target) {
    String t = ns(target);
    try (KubernetesClient as = impersonate(sa, ns(saNs))) {
      as.pods().inNamespace(t).list();
    } catch (KubernetesClientException e) {
      world().evidence("as " + sa + ": listing the pods of " + t + " refused, HTTP " + e.getCode());
      check(e.getCode() == 403, "refused, but not as forbidden: " + e.getMessage());
      return;
    }
    throw new AssertionError(sa + " listed the pods of " + t + ", a namespace it has no role in");
  }

  private KubernetesClient impersonate(String sa, String ns) {
    // no groups named: for a service account the API server adds its groups (system:serviceaccounts,
    // system:serviceaccounts:<ns>, system:authenticated) itself, so the in-cluster runner needs
    // "impersonate serviceaccounts" only, not "impersonate groups" (which would let it act as any group)
    var config = new ConfigBuilder(client().getConfiguration())
        .withImpersonateUsername("system:serviceaccount:" + ns + ":" + sa)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  // ---- workloads and autoscaling

  @When("I create a deployment {string} of {int} replicas each requesting {int} {string}")
  public void deployment(String name, int replicas, int count, String resource) {
    String ns = world().namespace();
    Pod template = pod(ns, name, Map.of(resource, count), Map.of());
    Deployment d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withSpec(template.getSpec()).endTemplate()
        .endSpec().build();
    client().apps().deployments().inNamespace(ns).resource(d).create();
    world().evidence("created deployment " + ns + "/" + name + ": " + replicas + " replicas, each " + count + " " + resource);
  }

  @Then("the {int} pods of {string} are scheduled onto nodes that advertise {string}")
  public void deploymentPods(int replicas, String name, String resource) {
    String ns = world().namespace();
    try {
      client().apps().deployments().inNamespace(ns).withName(name).waitUntilCondition(
          d -> d != null && d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
              && d.getStatus().getAvailableReplicas() == replicas, WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      throw new AssertionError("deployment " + name + " did not get " + replicas + " available replicas within " + WAIT_SECONDS + " s");
    }
    List<Pod> pods = client().pods().inNamespace(ns).withLabel("app", name).list().getItems();
    for (Pod p : pods) {
      Node n = client().nodes().withName(p.getSpec().getNodeName()).get();
      Quantity q = n.getStatus().getAllocatable().get(resource);
      check(q != null && q.getNumericalAmount().signum() > 0, "pod " + p.getMetadata().getName() + " on " + n.getMetadata().getName() + " without " + resource);
      world().evidence("pod " + p.getMetadata().getName() + " -> node " + n.getMetadata().getName() + " (" + resource + "=" + q + ")");
    }
    check(pods.size() >= replicas, "only " + pods.size() + " pods of " + name);
  }

  @When("I create an autoscaler for {string} from {int} to {int} replicas on the pods metric {string} averaging {int}")
  public void hpa(String target, int min, int max, String metric, int average) {
    String ns = world().namespace();
    HorizontalPodAutoscaler h = new HorizontalPodAutoscalerBuilder().withNewMetadata().withName(target).withNamespace(ns).endMetadata()
        .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(target).endScaleTargetRef()
        .withMinReplicas(min).withMaxReplicas(max)
        .addNewMetric().withType("Pods").withNewPods().withNewMetric().withName(metric).endMetric()
        .withNewTarget().withType("AverageValue").withAverageValue(new Quantity(Integer.toString(average))).endTarget()
        .endPods().endMetric().endSpec().build();
    client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).resource(h).create();
    world().evidence("created HorizontalPodAutoscaler (autoscaling/v2) " + ns + "/" + target + ": " + min + ".." + max
        + " replicas on pods metric " + metric + " averaging " + average);
  }

  @Then("the autoscaler of {string} reads back with the pods metric {string}")
  public void hpaReadsBack(String target, String metric) {
    HorizontalPodAutoscaler h = client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(world().namespace())
        .withName(target).get();
    check(h != null, "the autoscaler was not stored");
    String got = h.getSpec().getMetrics().get(0).getPods().getMetric().getName();
    world().evidence("autoscaler read back: target " + h.getSpec().getScaleTargetRef().getName() + ", metric " + got);
    check(metric.equals(got), "metric read back as " + got);
  }
}
