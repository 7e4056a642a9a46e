package io.cnai.conformance.steps;

import static io.cnai.conformance.steps.Steps.check;

import io.cnai.conformance.RunContext;
import io.cnai.conformance.ScenarioWorld;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** API-level steps: discovery, Dynamic Resource Allocation objects, CRDs and their schemas. */
public final class ApiSteps {
  static final long WAIT_SECONDS = 60;

  private ScenarioWorld world() {
    return RunContext.current().world();
  }

  private KubernetesClient client() {
    return world().client();
  }

  @Then("the API server serves the kinds {string} in {string}")
  public void servesKinds(String kinds, String groupVersion) {
    APIResourceList list;
    try {
      list = client().getApiResources(groupVersion);
    } catch (KubernetesClientException e) {
      throw new AssertionError(groupVersion + " is not served: " + e.getMessage());
    }
    check(list != null, groupVersion + " is not served by the API server (discovery has no such group version)");
    List<String> served = list.getResources().stream().filter(r -> !r.getName().contains("/"))
        .map(APIResource::getKind).distinct().sorted().toList();
    world().evidence("discovery of " + groupVersion + " lists: " + String.join(", ", served));
    for (String k : split(kinds)) {
      check(served.contains(k), k + " is not served in " + groupVersion + "; served: " + served);
    }
  }

  @Given("a DeviceClass that selects the devices of driver {string}")
  public void deviceClass(String driver) {
    String name = "cnai-conf-" + suffix() + ".example.com";
    GenericKubernetesResource dc = new GenericKubernetesResourceBuilder()
        .withApiVersion("resource.k8s.io/v1").withKind("DeviceClass")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("selectors",
            List.of(Map.of("cel", Map.of("expression", "device.driver == \"" + driver + "\"")))))
        .build();
    GenericKubernetesResource made = client().resource(dc).create();
    world().ownClusterScoped(made);
    world().put("deviceClass", name);
    world().evidence("created DeviceClass " + name + " selecting driver " + driver + " (uid " + made.getMetadata().getUid() + ")");
  }

  @When("I create a ResourceClaim for {int} device(s) of that class")
  public void resourceClaim(int count) {
    String ns = world().namespace();
    String dc = world().get("deviceClass");
    GenericKubernetesResource rc = new GenericKubernetesResourceBuilder()
        .withApiVersion("resource.k8s.io/v1").withKind("ResourceClaim")
        .withNewMetadata().withName("gpu-claim").withNamespace(ns).endMetadata()
        .addToAdditionalProperties("spec", Map.of("devices", Map.of("requests", List.of(Map.of(
            "name", "gpu",
            "exactly", Map.of("deviceClassName", dc, "allocationMode", "ExactCount", "count", count))))))
        .build();
    client().resource(rc).create();
    world().put("claim", "gpu-claim");
    world().evidence("created ResourceClaim " + ns + "/gpu-claim asking for " + count + " device(s) of class " + dc);
  }

  @Then("the ResourceClaim reads back asking for {int} device(s) of that class")
  @SuppressWarnings("unchecked")
  public void claimReadsBack(int count) {
    String ns = world().namespace();
    GenericKubernetesResource rc = client().genericKubernetesResources("resource.k8s.io/v1", "ResourceClaim")
        .inNamespace(ns).withName(world().get("claim")).get();
    check(rc != null, "ResourceClaim " + ns + "/gpu-claim was not stored");
    Map<String, Object> spec = (Map<String, Object>) rc.getAdditionalProperties().get("spec");
    Map<String, Object> devices = (Map<String, Object>) spec.get("devices");
    Map<String, Object> req = (Map<String, Object>) ((List<Object>) devices.get("requests")).get(0);
    Map<String, Object> exactly = (Map<String, Object>) req.get("exactly");
    world().evidence("ResourceClaim read back: request " + req.get("name") + " -> " + exactly);
    check(world().get("deviceClass").equals(exactly.get("deviceClassName")), "device class changed: " + exactly);
    check(((Number) exactly.get("count")).intValue() == count, "count changed: " + exactly);
  }

  @Then("a ResourceClaim whose device class name is {string} is rejected as invalid")
  public void invalidClaim(String badName) {
    String ns = world().namespace();
    GenericKubernetesResource rc = new GenericKubernetesResourceBuilder()
        .withApiVersion("resource.k8s.io/v1").withKind("ResourceClaim")
        .withNewMetadata().withName("bad-claim").withNamespace(ns).endMetadata()
        .addToAdditionalProperties("spec", Map.of("devices", Map.of("requests", List.of(Map.of(
            "name", "gpu", "exactly", Map.of("deviceClassName", badName))))))
        .build();
    expectInvalid(() -> client().resource(rc).create(), "ResourceClaim with deviceClassName '" + badName + "'");
  }

  @Given("a CustomResourceDefinition whose schema requires {string} to be an integer of at least {int}")
  public void crd(String field, int minimum) {
    check(field.startsWith("spec.") && field.indexOf('.', 5) < 0, "only spec.<field> is supported: " + field);
    String prop = field.substring(5);
    String group = "conf-" + suffix() + ".cnai.io";
    JSONSchemaProps spec = new JSONSchemaPropsBuilder().withType("object").withRequired(prop)
        .addToProperties(prop, new JSONSchemaPropsBuilder().withType("integer").withMinimum((double) minimum).build())
        .build();
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("trainings." + group).endMetadata()
        .withNewSpec().withGroup(group).withScope("Namespaced")
        .withNewNames().withKind("Training").withPlural("trainings").withSingular("training").endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
        .addToProperties("spec", spec).withRequired("spec").endOpenAPIV3Schema().endSchema()
        .endVersion().endSpec().build();
    CustomResourceDefinition made = client().apiextensions().v1().customResourceDefinitions().resource(crd).create();
    world().ownClusterScoped(made);
    world().put("crd", made);
    world().evidence("created CRD trainings." + group + " (v1, spec." + prop + ": integer >= " + minimum + ", required)");
  }

  @Then("the CustomResourceDefinition becomes Established")
  public void established() {
    CustomResourceDefinition crd = world().get("crd");
    String name = crd.getMetadata().getName();
    waitEstablished(name);
  }

  @Then("the CustomResourceDefinition {string} is Established")
  public void namedEstablished(String name) {
    waitEstablished(name);
  }

  @Then("one of the CustomResourceDefinitions {string} is Established")
  public void oneEstablished(String names) {
    StringBuilder seen = new StringBuilder();
    for (String n : split(names)) {
      CustomResourceDefinition crd = client().apiextensions().v1().customResourceDefinitions().withName(n).get();
      boolean ok = crd != null && isEstablished(crd);
      seen.append(n).append(ok ? " Established; " : crd == null ? " absent; " : " not Established; ");
      if (ok) {
        world().evidence("CRD " + n + " is Established");
        return;
      }
    }
    world().evidence(seen.toString());
    throw new AssertionError("none of " + names + " is Established: " + seen);
  }

  private void waitEstablished(String name) {
    if (client().apiextensions().v1().customResourceDefinitions().withName(name).get() == null) {
      world().evidence("CRD " + name + " does not exist");
      throw new AssertionError("CRD " + name + " does not exist");
    }
    try {
      client().apiextensions().v1().customResourceDefinitions().withName(name)
          .waitUntilCondition(c -> c != null && isEstablished(c), WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      throw new AssertionError("CRD " + name + " did not become Established within " + WAIT_SECONDS + " s: " + e.getMessage());
    }
    world().evidence("CRD " + name + " is Established (condition Established=True)");
  }

  static boolean isEstablished(CustomResourceDefinition c) {
    return c.getStatus() != null && c.getStatus().getConditions() != null
        && c.getStatus().getConditions().stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
  }

  @Then("a custom resource with {string} set to {int} is accepted and reads back unchanged")
  public void validCr(String field, int value) {
    GenericKubernetesResource made = whenServed(() -> client().resource(customResource("good", field.substring(5), value)).create());
    GenericKubernetesResource back = client().genericKubernetesResources(apiVersion(), "Training")
        .inNamespace(world().namespace()).withName(made.getMetadata().getName()).get();
    check(back != null, "the custom resource was not stored");
    Object v = ((Map<?, ?>) back.getAdditionalProperties().get("spec")).get(field.substring(5));
    world().evidence("custom resource with " + field + "=" + value + " accepted, read back " + field + "=" + v);
    check(v instanceof Number n && n.intValue() == value, field + " read back as " + v);
  }

  @Then("a custom resource with {string} set to {int} is rejected as invalid")
  public void invalidCr(String field, int value) {
    expectInvalid(() -> client().resource(customResource("bad", field.substring(5), value)).create(),
        "custom resource with " + field + "=" + value);
  }

  @Then("a custom resource without {string} is rejected as invalid")
  public void missingCr(String field) {
    GenericKubernetesResource cr = customResource("empty", "other", 1);
    ((Map<?, ?>) cr.getAdditionalProperties().get("spec")).remove("other");
    expectInvalid(() -> client().resource(cr).create(), "custom resource without " + field);
  }

  @Then("a {string} of {string} with the spec {string} is rejected as invalid")
  public void invalidOf(String kind, String apiVersion, String specJson) {
    Map<String, Object> spec = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(specJson, Map.class);
    GenericKubernetesResource cr = new GenericKubernetesResourceBuilder().withApiVersion(apiVersion).withKind(kind)
        .withNewMetadata().withName("invalid").withNamespace(world().namespace()).endMetadata()
        .addToAdditionalProperties("spec", spec).build();
    expectInvalid(() -> client().resource(cr).create(), kind + " with spec " + specJson);
  }

  private String apiVersion() {
    CustomResourceDefinition crd = world().get("crd");
    return crd.getSpec().getGroup() + "/v1";
  }

  private GenericKubernetesResource customResource(String name, String prop, int value) {
    return new GenericKubernetesResourceBuilder().withApiVersion(apiVersion()).withKind("Training")
        .withNewMetadata().withName(name).withNamespace(world().namespace()).endMetadata()
        .addToAdditionalProperties("spec", new java.util.HashMap<>(Map.of(prop, value))).build();
  }

  /**
   * Runs {@code call}, sent again while the API server answers 404 for up to 15 s: right after a
   * CRD is Established, its kind may not be served or discovered yet (Kubernetes' own e2e tests
   * wait for discovery the same way). Any other answer, or a 404 after that, is returned or thrown.
   */
  static <T> T whenServed(java.util.function.Supplier<T> call) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        return call.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404 || System.nanoTime() > until) {
          throw e;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  void expectInvalid(Runnable create, String what) {
    try {
      whenServed(() -> {
        create.run();
        return null;
      });
    } catch (KubernetesClientException e) {
      world().evidence(what + ": refused with HTTP " + e.getCode() + " " + firstLine(e.getMessage()));
      check(e.getCode() == 422 || e.getCode() == 400, what + " was refused, but with HTTP " + e.getCode() + " not as invalid: " + e.getMessage());
      return;
    }
    world().evidence(what + ": accepted");
    throw new AssertionError(what + " was accepted; the schema should have rejected it");
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String one = s.strip().replaceAll("\\s+", " ");
    return one.length() > 300 ? one.substring(0, 300) + "..." : one;
  }

  static List<String> split(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  static String suffix() {
    return Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
  }
}
