package io.cnai.conformance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/** Listens to the JUnit Platform run of the Cucumber engine and keeps how each scenario ended. */
final class ScenarioCollector implements TestExecutionListener {
  record Ended(String feature, String name, String location, Set<String> tags,
      ScenarioOutcome.Status status, String reason) {}

  private final List<Ended> ended = new ArrayList<>();
  private TestPlan plan;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    // scenarios left out by the tag expression are not part of this run
    if (id.isTest() && !reason.contains("cucumber.filter.tags")) {
      ended.add(ended(id, ScenarioOutcome.Status.NOT_RUN, "not run: " + reason));
    }
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (!id.isTest()) {
      return;
    }
    Throwable t = result.getThrowable().orElse(null);
    ended.add(switch (result.getStatus()) {
      case SUCCESSFUL -> ended(id, ScenarioOutcome.Status.PASSED, "");
      case ABORTED -> aborted(id, t);
      case FAILED -> pending(result) ? aborted(id, t) : ended(id, ScenarioOutcome.Status.FAILED, message(t));
    });
  }

  /**
   * A scenario that reached a check cnai has not written yet: Cucumber (strict) reports it as
   * failed; it is NOT RUN, with what the check would do, and never passes. Seen on a cluster with
   * real nodes, where such scenarios are no longer held back by {@code @needs-containers}.
   */
  static boolean pending(TestExecutionResult result) {
    return result.getThrowable().map(t -> t.getClass().getSimpleName().contains("Pending")).orElse(false);
  }

  private Ended aborted(TestIdentifier id, Throwable t) {
    if (t instanceof NotApplicableException) {
      return ended(id, ScenarioOutcome.Status.NOT_APPLICABLE, t.getMessage());
    }
    String type = t == null ? "" : t.getClass().getSimpleName();
    if (type.contains("Undefined")) {
      // a step without a definition is a bug of the suite: it must not hide as "not run"
      return ended(id, ScenarioOutcome.Status.FAILED, message(t));
    }
    if (type.contains("Pending")) {
      return ended(id, ScenarioOutcome.Status.NOT_RUN, "not run: the check is not written yet ("
          + Optional.ofNullable(t.getMessage()).orElse("pending") + ")");
    }
    String m = t == null || t.getMessage() == null ? "aborted" : t.getMessage();
    return ended(id, ScenarioOutcome.Status.NOT_RUN, m.startsWith("not run") ? m : "not run: " + m);
  }

  private static String message(Throwable t) {
    if (t == null) {
      return "failed";
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.strip().replaceAll("\\s*\\n\\s*", " / ");
  }

  private Ended ended(TestIdentifier id, ScenarioOutcome.Status status, String reason) {
    Set<String> tags = new LinkedHashSet<>();
    id.getTags().forEach(t -> tags.add("@" + t.getName()));
    String feature = featureOf(id);
    return new Ended(feature, id.getDisplayName(), location(id.getSource()).orElse(id.getUniqueId()), tags, status, reason);
  }

  private String featureOf(TestIdentifier id) {
    if (plan == null) {
      return "";
    }
    // the feature is the topmost ancestor whose source is a .feature file (rules and examples sit between)
    String feature = "";
    Optional<TestIdentifier> p = plan.getParent(id);
    while (p.isPresent()) {
      TestIdentifier parent = p.get();
      if (location(parent.getSource()).map(l -> l.matches(".*\\.feature(:\\d+)?")).orElse(false)) {
        feature = parent.getDisplayName();
      }
      p = plan.getParent(parent);
    }
    return feature;
  }

  /** "io/cnai/.../x.feature:12" for a scenario, "io/cnai/.../x.feature" for a feature. */
  static Optional<String> location(Optional<TestSource> source) {
    if (source.isEmpty()) {
      return Optional.empty();
    }
    TestSource s = source.get();
    if (s instanceof ClasspathResourceSource c) {
      String path = c.getClasspathResourceName().replaceFirst("^/", "");
      return Optional.of(path + c.getPosition().map(FilePosition::getLine).map(l -> ":" + l).orElse(""));
    }
    if (s instanceof FileSource f) {
      return Optional.of(f.getFile().getPath() + f.getPosition().map(FilePosition::getLine).map(l -> ":" + l).orElse(""));
    }
    return Optional.empty();
  }

  List<ScenarioOutcome> outcomes(Map<String, ScenarioWorld> worlds) {
    List<ScenarioOutcome> out = new ArrayList<>();
    for (Ended e : ended) {
      ScenarioWorld w = worlds.get(e.location());
      out.add(new ScenarioOutcome(e.feature(), e.name(), e.location(), e.tags(), e.status(), e.reason(),
          w == null ? List.of() : w.evidence()));
    }
    return out;
  }
}
