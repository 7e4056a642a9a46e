package io.cnai.conformance.steps;

import static io.cnai.conformance.steps.Steps.check;

import io.cnai.conformance.RunContext;
import io.cnai.conformance.SamplePipelines;
import io.cnai.conformance.ScenarioWorld;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.util.Locale;
import org.opentest4j.TestAbortedException;

/**
 * cnai's sample pipelines as scenarios: trained, registered and served on the cluster's own nodes
 * (through {@link SamplePipelines}, which the cnai CLI provides), their figures as evidence.
 */
public final class PipelineSteps {
  private static final String KEY = "sample-pipeline";

  private ScenarioWorld world() {
    return RunContext.current().world();
  }

  @When("the sample pipeline {string} runs on the cluster, its served model to reach an accuracy of {double}")
  public void runs(String name, double minAccuracy) {
    SamplePipelines runner = SamplePipelines.find().orElseThrow(() -> new TestAbortedException(
        "not run: this runner has no sample-pipelines runner on its class path (the cnai CLI has one: run cnai conformance "
            + "run from outside the cluster)"));
    SamplePipelines.Outcome o = runner.run(name, world().client(), minAccuracy, line -> world().evidence(line));
    for (SamplePipelines.Step s : o.steps()) {
      world().evidence(String.format(Locale.ROOT, "%s step %s: %s in %.1f s on node %s, %s", name, s.name(), s.ok() ? "ok" : "FAILED",
          s.seconds(), s.node(), s.result()));
    }
    world().put(KEY, o);
    if (o.status() == SamplePipelines.Status.NOT_RUN) {
      throw new TestAbortedException("not run: " + o.message());
    }
  }

  private SamplePipelines.Outcome outcome() {
    return world().get(KEY);
  }

  @Then("the sample pipeline passed")
  public void passed() {
    SamplePipelines.Outcome o = outcome();
    check(o.status() == SamplePipelines.Status.PASSED, "the sample pipeline failed: " + o.message());
  }

  @Then("its step {string} reported {string} {string}")
  public void reported(String step, String key, String value) {
    SamplePipelines.Step s = step(step);
    Object seen = s.result().get(key);
    check(value.equals(String.valueOf(seen)), "step " + step + " reported " + key + " " + seen + ", not " + value);
  }

  @Then("its step {string} registered a version of the model {string} in MLflow")
  public void registered(String step, String model) {
    SamplePipelines.Step s = step(step);
    Object version = s.result().get("version");
    check(model.equals(s.result().get("model")) && version instanceof Number n && n.longValue() >= 1,
        "step " + step + " reported model " + s.result().get("model") + " version " + version + ", not a version of " + model);
  }

  @Then("its step {string} reported an accuracy of at least {double}")
  public void accuracy(String step, double least) {
    Object seen = step(step).result().get("accuracy");
    check(seen instanceof Number n && n.doubleValue() >= least, "step " + step + " reported accuracy " + seen + ", below " + least);
  }

  private SamplePipelines.Step step(String name) {
    return outcome().steps().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("the pipeline has no step " + name + " (steps: "
            + outcome().steps().stream().map(SamplePipelines.Step::name).toList() + ")"));
  }
}
