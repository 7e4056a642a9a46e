package io.cnai.conformance;

import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the suite does to a cluster, as RBAC rules: the least a service account needs to run every
 * scenario from inside the cluster. Each rule names the steps that need it (see
 * {@code io.cnai.conformance.steps}); a step that calls the API differently must change this list
 * too (the in-cluster test on a real node compares both runs and fails on a 403 the outside run did
 * not get).
 *
 * <p>Scenarios make namespaces with random names ({@code cnai-conf-*}), so what they do inside them
 * is granted cluster-wide: RBAC has no name prefixes. Secrets are the exception: they are read only
 * in {@code cnai-system} and in the namespaces of the deployed stack's components, through Roles
 * there ({@link #secretNamespaces}).
 */
public final class RunnerPermissions {
  private RunnerPermissions() {}

  private static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
  }

  /** The rules of the runner's ClusterRole. */
  public static List<PolicyRule> clusterRules() {
    List<PolicyRule> r = new ArrayList<>();
    // capabilities (CapabilityProbe), scheduling checks (node of a pod, GPU labels), platform image choice
    r.add(rule("", List.of("nodes"), "get", "list"));
    // ScenarioWorld: one namespace per scenario, deleted after it
    r.add(rule("", List.of("namespaces"), "create", "get", "delete"));
    // pods: scheduling, quota, RBAC and platform checks; waits watch them; logs of Jobs and pods
    r.add(rule("", List.of("pods"), "create", "get", "list", "watch", "delete"));
    r.add(rule("", List.of("pods/log"), "get"));
    // platform: a Service reached by DNS name; metrics of a component through the API server's proxy
    r.add(rule("", List.of("services"), "create", "get"));
    r.add(rule("", List.of("services/proxy"), "get"));
    // platform: a claim of the default StorageClass
    r.add(rule("", List.of("persistentvolumeclaims"), "create", "get"));
    // secure_accelerator_access: a GPU quota, waited for until the controller computed it
    r.add(rule("", List.of("resourcequotas"), "create", "get", "list", "watch"));
    // secure_accelerator_access: a service account bound to 'edit' in one namespace, acted as by impersonation
    r.add(rule("", List.of("serviceaccounts"), "create", "impersonate"));
    r.add(rule("rbac.authorization.k8s.io", List.of("rolebindings"), "create"));
    r.add(new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io").withResources("clusterroles")
        .withResourceNames("edit").withVerbs("bind").build());
    // cluster_autoscaling: the cluster-autoscaler's status ConfigMap
    r.add(new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
        .withResourceNames("cluster-autoscaler-status").withVerbs("get").build());
    // platform: a Job; pod_autoscaling: a deployment rolled out; components: workloads ready; autoscaler lookup
    r.add(rule("batch", List.of("jobs"), "create", "get", "list", "watch"));
    r.add(rule("apps", List.of("deployments"), "create", "get", "list", "watch"));
    r.add(rule("apps", List.of("statefulsets", "daemonsets"), "get", "list"));
    // pod_autoscaling: an autoscaling/v2 autoscaler read back
    r.add(rule("autoscaling", List.of("horizontalpodautoscalers"), "create", "get"));
    // robust_controller and the components: CRDs made, waited for (Established), read, deleted
    r.add(rule("apiextensions.k8s.io", List.of("customresourcedefinitions"), "create", "get", "list", "watch", "delete"));
    // robust_controller: custom resources of the CRD it made (a random group under cnai.io)
    r.add(rule("*", List.of("trainings"), "create", "get"));
    // component_kuberay: an invalid RayCluster is refused by the schema (422), not by RBAC
    r.add(rule("ray.io", List.of("rayclusters"), "create"));
    // dra_support: a DeviceClass and ResourceClaims
    r.add(rule("resource.k8s.io", List.of("deviceclasses"), "create", "get", "delete"));
    r.add(rule("resource.k8s.io", List.of("resourceclaims"), "create", "get"));
    // ai_service_metrics: the custom metrics APIService
    r.add(rule("apiregistration.k8s.io", List.of("apiservices"), "get"));
    return List.copyOf(r);
  }

  /** The rules of the runner's Role in each of {@link #secretNamespaces}: stack revisions, Helm releases. */
  public static List<PolicyRule> secretRules() {
    return List.of(rule("", List.of("secrets"), "list"));
  }

  /**
   * Where the suite reads Secrets: {@code cnai-system} (the stack revisions) and the namespace of
   * every component of the deployed stack (its Helm release records).
   */
  public static List<String> secretNamespaces(Optional<StackRevision> deployed) {
    TreeSet<String> ns = new TreeSet<>();
    ns.add(StackRevision.NAMESPACE);
    deployed.ifPresent(s -> s.components().forEach(c -> {
      if (c.namespace() != null && !c.namespace().isBlank()) {
        ns.add(c.namespace());
      }
    }));
    return List.copyOf(ns);
  }
}
