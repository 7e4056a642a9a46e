package io.cnai.conformance.steps;

import static io.cnai.conformance.steps.Steps.check;

import io.cnai.conformance.NotApplicableException;
import io.cnai.conformance.RunContext;
import io.cnai.conformance.ScenarioWorld;
import io.cnai.distro.Component;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.ComponentRevision;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * Steps about the installed cnai stack, read from its last deployed stack revision: components
 * ready, versions as locked, no drift from what cnai applied; and about components being present.
 */
public final class StackSteps {
  private ScenarioWorld world() {
    return RunContext.current().world();
  }

  private KubernetesClient client() {
    return world().client();
  }

  private StackRevision stack() {
    // @needs-stack guards these steps; without a revision they cannot have started
    return RunContext.current().stack().orElseThrow(() -> new TestAbortedException("not run: no cnai stack installed"));
  }

  @Given("the last deployed stack revision")
  public void lastRevision() {
    StackRevision r = stack();
    world().evidence("stack revision " + r.revision() + " (" + r.action() + ", " + r.status() + "): distribution "
        + r.distributionName() + " " + r.distributionVersion() + ", profile " + r.profile() + ", plan " + r.planDigest()
        + ", " + r.components().size() + " components");
  }

  @Then("every component of the revision is deployed and its workloads are available")
  public void everyComponentReady() {
    List<String> problems = new ArrayList<>();
    for (ComponentRevision c : stack().components()) {
      problems.addAll(componentProblems(c));
    }
    check(problems.isEmpty(), String.join("; ", problems));
  }

  @Then("the stack component {string} is deployed and its workloads are available")
  public void componentReady(String name) {
    ComponentRevision c = component(name);
    List<String> problems = componentProblems(c);
    check(problems.isEmpty(), String.join("; ", problems));
  }

  @Given("the stack includes the component {string}")
  public void includes(String name) {
    component(name);
  }

  private ComponentRevision component(String name) {
    Optional<ComponentRevision> c = stack().components().stream().filter(x -> x.name().equals(name)).findFirst();
    if (c.isEmpty()) {
      world().evidence("component " + name + " is not part of stack revision " + stack().revision() + " (the profile leaves it out)");
      throw new TestAbortedException("not run: the installed stack (profile " + stack().profile() + ") does not include " + name);
    }
    return c.get();
  }

  private List<String> componentProblems(ComponentRevision c) {
    List<String> problems = new ArrayList<>();
    if (!"deployed".equalsIgnoreCase(c.status())) {
      problems.add(c.name() + ": Helm status " + c.status());
    }
    String ns = c.namespace();
    int ready = 0;
    for (Deployment d : client().apps().deployments().inNamespace(ns).list().getItems()) {
      int want = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
      int have = d.getStatus() == null ? 0 : Objects.requireNonNullElse(d.getStatus().getAvailableReplicas(), 0);
      if (have < want) {
        problems.add(c.name() + ": deployment " + ns + "/" + d.getMetadata().getName() + " has " + have + "/" + want + " available");
      }
      ready++;
    }
    for (StatefulSet s : client().apps().statefulSets().inNamespace(ns).list().getItems()) {
      int want = Objects.requireNonNullElse(s.getSpec().getReplicas(), 1);
      int have = s.getStatus() == null ? 0 : Objects.requireNonNullElse(s.getStatus().getReadyReplicas(), 0);
      if (have < want) {
        problems.add(c.name() + ": statefulset " + ns + "/" + s.getMetadata().getName() + " has " + have + "/" + want + " ready");
      }
      ready++;
    }
    for (DaemonSet d : client().apps().daemonSets().inNamespace(ns).list().getItems()) {
      int want = d.getStatus() == null ? 0 : d.getStatus().getDesiredNumberScheduled();
      int have = d.getStatus() == null ? 0 : Objects.requireNonNullElse(d.getStatus().getNumberReady(), 0);
      if (have < want) {
        problems.add(c.name() + ": daemonset " + ns + "/" + d.getMetadata().getName() + " has " + have + "/" + want + " ready");
      }
      ready++;
    }
    world().evidence(c.name() + " " + c.version() + " (Helm " + c.helmRelease() + " rev " + c.helmRevision() + ", " + c.status()
        + "): " + ready + " workloads in " + ns + (problems.isEmpty() ? ", all available" : ": " + problems));
    return problems;
  }

  @Then("every component's version and digest match the lockfile of the revision's distribution")
  public void matchesLock() {
    StackRevision r = stack();
    Path dir = RunContext.current().releasesDir();
    if (dir == null) {
      throw new TestAbortedException("not run: no folder of distribution lockfiles was given");
    }
    Path lock = dir.resolve(r.distributionVersion()).resolve("distribution.yaml");
    if (!Files.isRegularFile(lock)) {
      throw new TestAbortedException("not run: lockfile " + lock + " of distribution " + r.distributionVersion() + " is not here");
    }
    Distribution d = DistributionLoader.load(lock);
    List<String> problems = new ArrayList<>();
    for (ComponentRevision c : r.components()) {
      Optional<Component> locked = d.component(c.name());
      if (locked.isEmpty()) {
        problems.add(c.name() + " is installed but not in the lock");
        continue;
      }
      String wantV = locked.get().source().version();
      String wantD = locked.get().source().digest();
      boolean ok = Objects.equals(wantV, c.version()) && (wantD == null || Objects.equals(wantD, c.digest()));
      world().evidence(c.name() + ": installed " + c.version() + " " + c.digest() + ", locked " + wantV + " " + wantD
          + (ok ? " - match" : " - MISMATCH"));
      if (!ok) {
        problems.add(c.name() + " installed " + c.version() + " (" + c.digest() + ") but the lock says " + wantV + " (" + wantD + ")");
      }
    }
    check(problems.isEmpty(), String.join("; ", problems));
  }

  @Then("every component's Helm release is at the revision cnai recorded")
  public void noDrift() {
    List<String> problems = new ArrayList<>();
    for (ComponentRevision c : stack().components()) {
      if (c.helmRelease() == null || c.helmRelease().isBlank()) {
        world().evidence(c.name() + ": applied without Helm (" + c.sourceType() + "), no release to compare");
        continue;
      }
      List<Secret> releases = client().secrets().inNamespace(c.namespace())
          .withLabel("owner", "helm").withLabel("name", c.helmRelease()).list().getItems();
      int newest = releases.stream().map(s -> s.getMetadata().getLabels().get("version")).filter(Objects::nonNull)
          .mapToInt(Integer::parseInt).max().orElse(0);
      String status = releases.stream().filter(s -> Integer.toString(newest).equals(s.getMetadata().getLabels().get("version")))
          .map(s -> s.getMetadata().getLabels().get("status")).findFirst().orElse("absent");
      world().evidence(c.name() + ": Helm release " + c.namespace() + "/" + c.helmRelease() + " newest revision " + newest
          + " (" + status + "), cnai recorded " + c.helmRevision());
      if (newest != c.helmRevision()) {
        problems.add(c.name() + ": Helm release " + c.helmRelease() + " is at revision " + newest + " but cnai recorded "
            + c.helmRevision() + " (changed outside cnai)");
      } else if (!"deployed".equals(status)) {
        problems.add(c.name() + ": Helm release " + c.helmRelease() + " is " + status);
      }
    }
    check(problems.isEmpty(), String.join("; ", problems));
  }

  // ---- cluster autoscaler applicability

  @Given("the cluster offers a cluster autoscaler")
  public void autoscalerOffered() {
    List<String> found = new ArrayList<>();
    client().apps().deployments().inAnyNamespace().list().getItems().stream()
        .filter(d -> d.getMetadata().getName().contains("cluster-autoscaler") || d.getMetadata().getName().contains("karpenter"))
        .forEach(d -> found.add("deployment " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()));
    if (client().configMaps().inNamespace("kube-system").withName("cluster-autoscaler-status").get() != null) {
      found.add("ConfigMap kube-system/cluster-autoscaler-status");
    }
    if (client().apiextensions().v1().customResourceDefinitions().withName("nodepools.karpenter.sh").get() != null) {
      found.add("CRD nodepools.karpenter.sh");
    }
    if (found.isEmpty()) {
      world().evidence("looked for a cluster-autoscaler or Karpenter deployment, the cluster-autoscaler-status ConfigMap "
          + "and the Karpenter NodePool CRD: none found");
      throw new NotApplicableException("the platform offers no cluster autoscaler in this configuration: node groups are "
          + "sized by the cluster's owner (no cluster-autoscaler or Karpenter found)");
    }
    world().evidence("cluster autoscaler found: " + String.join(", ", found));
  }
}
