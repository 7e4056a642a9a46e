package io.cnai.conformance.steps;

import io.cnai.conformance.RunContext;
import io.cnai.conformance.ScenarioWorld;
import io.cucumber.java.After;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * Before each scenario: checks the needs it declares by tag against the target's capabilities and,
 * when one is not met, stops it as NOT RUN with the reason (Cucumber reports it skipped). After each
 * scenario: deletes what it made.
 */
public final class Hooks {
  @Before(order = 0)
  public void checkNeeds(Scenario scenario) {
    RunContext ctx = RunContext.current();
    ScenarioWorld world = ctx.begin(location(scenario));
    Optional<String> unmet = ctx.capabilities().unmet(scenario.getSourceTagNames());
    if (unmet.isPresent()) {
      world.evidence(unmet.get());
      throw new TestAbortedException(unmet.get());
    }
  }

  @After
  public void cleanUp() {
    Steps.cleanup(RunContext.current().world());
  }

  static String location(Scenario s) {
    String uri = s.getUri().toString();
    String path = uri.startsWith("classpath:") ? uri.substring("classpath:".length()) : s.getUri().getPath();
    return path.replaceFirst("^/+", "") + ":" + s.getLine();
  }
}
