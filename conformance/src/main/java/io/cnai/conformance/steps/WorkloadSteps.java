package io.cnai.conformance.steps;

import static io.cnai.conformance.steps.Steps.check;

import io.cnai.conformance.RunContext;
import io.cnai.conformance.ScenarioWorld;
import io.cucumber.java.PendingException;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;

/**
 * Steps that need real workloads or in-cluster services: metrics endpoints, aggregated APIs, and
 * the component smoke checks. A check that cnai has not written yet is PENDING, which the runner
 * reports as NOT RUN with what the check would do; it never passes.
 */
public final class WorkloadSteps {
  private ScenarioWorld world() {
    return RunContext.current().world();
  }

  private KubernetesClient client() {
    return world().client();
  }

  @When("the workload check {string} runs")
  public void workloadCheck(String what) {
    world().evidence("workload check not written yet: " + what);
    throw new PendingException("workload check not written yet: " + what);
  }

  @Then("the service {string} in {string} serves the metrics {string} on port {int}")
  public void serviceMetrics(String service, String ns, String metrics, int port) {
    String path = "/api/v1/namespaces/" + ns + "/services/" + service + ":" + port + "/proxy/metrics";
    String body;
    try {
      body = client().raw(path);
    } catch (KubernetesClientException e) {
      throw new AssertionError("GET " + path + " failed: " + e.getMessage());
    }
    check(body != null, "GET " + path + " returned nothing");
    for (String m : ApiSteps.split(metrics)) {
      List<String> lines = body.lines().filter(l -> l.startsWith(m)).limit(3).toList();
      world().evidence("GET " + path + ": " + m + " -> " + (lines.isEmpty() ? "absent" : String.join(" | ", lines)));
      check(!lines.isEmpty(), "metric " + m + " is not served by " + ns + "/" + service);
    }
  }

  @Then("the aggregated API {string} is available")
  @SuppressWarnings("unchecked")
  public void apiService(String name) {
    GenericKubernetesResource a = client().genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
        .withName(name).get();
    check(a != null, "APIService " + name + " is not registered");
    Map<String, Object> status = (Map<String, Object>) a.getAdditionalProperties().get("status");
    List<Map<String, Object>> conditions = status == null ? List.of() : (List<Map<String, Object>>) status.get("conditions");
    boolean ok = conditions != null && conditions.stream()
        .anyMatch(c -> "Available".equals(c.get("type")) && "True".equals(c.get("status")));
    world().evidence("APIService " + name + ": conditions " + conditions);
    check(ok, "APIService " + name + " is not Available");
  }
}
