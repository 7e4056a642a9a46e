package io.cnai.conformance.steps;

import static io.cnai.conformance.steps.Steps.check;

import io.cnai.conformance.RunContext;
import io.cnai.conformance.ScenarioWorld;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/**
 * Workloads that really run: a Job, a Service reached by DNS name, a claim of the default
 * StorageClass. They need nodes that run containers ({@code @needs-containers}) and a busybox
 * image: on a cnai local cluster (nodes labelled {@code cnai.io/node=local}) the one its nodes
 * hold, elsewhere {@value #PUBLIC_BUSYBOX}.
 */
public final class PlatformSteps {
  static final String PUBLIC_BUSYBOX = "docker.io/library/busybox:1.36";
  static final String LOCAL_BUSYBOX = "cnai.local/busybox:local";
  private static final long WAIT_SECONDS = 120;

  private ScenarioWorld world() {
    return RunContext.current().world();
  }

  private KubernetesClient client() {
    return world().client();
  }

  /** The busybox image the nodes can run. */
  private String image() {
    boolean local = !client().nodes().withLabel("cnai.io/node", "local").list().getItems().isEmpty();
    return local ? LOCAL_BUSYBOX : PUBLIC_BUSYBOX;
  }

  private PodSpec spec(String script) {
    return new PodBuilder().withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(0L)
        .addNewContainer().withName("main").withImage(image()).withImagePullPolicy("IfNotPresent")
        .withCommand("/bin/sh", "-c", script).endContainer().endSpec().build().getSpec();
  }

  private Pod runToEnd(String ns, Pod pod) {
    client().pods().inNamespace(ns).resource(pod).create();
    Pod done = client().pods().inNamespace(ns).withName(pod.getMetadata().getName()).waitUntilCondition(
        p -> p != null && p.getStatus() != null
            && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())),
        WAIT_SECONDS, TimeUnit.SECONDS);
    String log = client().pods().inNamespace(ns).withName(pod.getMetadata().getName()).getLog();
    world().evidence("pod " + ns + "/" + pod.getMetadata().getName() + " ended " + done.getStatus().getPhase()
        + " on node " + done.getSpec().getNodeName() + "; its log: " + log.strip().replace("\n", " | "));
    world().put("log." + pod.getMetadata().getName(), log);
    check("Succeeded".equals(done.getStatus().getPhase()),
        "pod " + pod.getMetadata().getName() + " ended " + done.getStatus().getPhase() + ": " + log.strip());
    return done;
  }

  @When("a Job {string} runs {string}")
  public void job(String name, String script) {
    String ns = world().namespace();
    Job job = new JobBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withBackoffLimit(0)
        .withNewTemplate().withSpec(spec(script)).endTemplate().endSpec().build();
    client().batch().v1().jobs().inNamespace(ns).resource(job).create();
    world().evidence("created Job " + ns + "/" + name + " running: " + script + " (image " + image() + ")");
  }

  @Then("the Job {string} succeeds and its pod's log says {string}")
  public void jobSucceeds(String name, String text) {
    String ns = world().namespace();
    Job job = client().batch().v1().jobs().inNamespace(ns).withName(name).waitUntilCondition(
        j -> j != null && j.getStatus() != null && (j.getStatus().getSucceeded() != null && j.getStatus().getSucceeded() > 0
            || j.getStatus().getFailed() != null && j.getStatus().getFailed() > 0), WAIT_SECONDS, TimeUnit.SECONDS);
    world().evidence("Job " + ns + "/" + name + " status: succeeded " + job.getStatus().getSucceeded() + ", failed " + job.getStatus().getFailed());
    check(job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0, "Job " + name + " did not succeed: " + job.getStatus());
    String log = client().pods().inNamespace(ns).withLabel("job-name", name).list().getItems().stream()
        .map(p -> client().pods().inNamespace(ns).withName(p.getMetadata().getName()).getLog()).reduce("", String::concat);
    check(log.contains(text), "the log of Job " + name + " does not say '" + text + "': " + log.strip());
  }

  @Given("a web server {string} behind a Service of the same name")
  public void webServer(String name) {
    String ns = world().namespace();
    client().pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).addToLabels("app", name).endMetadata()
        .withSpec(spec("mkdir -p /www && echo served by " + name + " > /www/index.html && exec httpd -f -p 8080 -h /www")).build()).create();
    client().services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addToSelector("app", name).addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec().build()).create();
    world().evidence("created pod " + ns + "/" + name + " (busybox httpd on 8080) and Service " + name + " (port 80)");
  }

  @Then("a pod reaches {string} and reads {string}")
  public void reaches(String url, String text) {
    String ns = world().namespace();
    Pod client = new PodBuilder().withNewMetadata().withName("client").endMetadata()
        // each try is bounded: a fetch that hangs (e.g. asked before the Service's rules are in place)
        // is killed after 8 s instead of using up the whole wait (busybox 1.35's wget -T and timeout crash)
        .withSpec(spec("for i in $(seq 1 60); do wget -q -O /tmp/page " + url + " 2>/dev/null & p=$!; "
            + "(sleep 8; kill $p 2>/dev/null) & k=$!; if wait $p; then kill $k 2>/dev/null; cat /tmp/page; exit 0; fi; "
            + "kill $k 2>/dev/null; sleep 1; done; exit 1")).build();
    runToEnd(ns, client);
    String log = world().get("log.client");
    check(log.contains(text), "the page at " + url + " does not say '" + text + "': " + log.strip());
  }

  @When("a pod writes {string} to a claim {string} of the default StorageClass")
  public void writes(String text, String claim) {
    String ns = world().namespace();
    client().persistentVolumeClaims().inNamespace(ns).resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(claim)
        .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("64Mi")).endResources().endSpec().build()).create();
    world().evidence("created PersistentVolumeClaim " + ns + "/" + claim + " (no class named: the default StorageClass)");
    runToEnd(ns, withClaim("writer", "echo " + text + " > /data/file", claim));
  }

  @Then("the claim {string} is bound and a second pod reads {string} from it")
  public void reads(String claim, String text) {
    String ns = world().namespace();
    var pvc = client().persistentVolumeClaims().inNamespace(ns).withName(claim).get();
    world().evidence("PersistentVolumeClaim " + claim + ": " + pvc.getStatus().getPhase() + ", class " + pvc.getSpec().getStorageClassName()
        + ", volume " + pvc.getSpec().getVolumeName());
    check("Bound".equals(pvc.getStatus().getPhase()), "claim " + claim + " is " + pvc.getStatus().getPhase());
    runToEnd(ns, withClaim("reader", "cat /data/file", claim));
    String log = world().get("log.reader");
    check(log.contains(text), "the second pod read '" + log.strip() + "', not '" + text + "'");
  }

  private Pod withClaim(String name, String script, String claim) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withSpec(spec(script)).editSpec()
        .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim().endVolume()
        .editFirstContainer().addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endContainer()
        .endSpec().build();
  }
}
