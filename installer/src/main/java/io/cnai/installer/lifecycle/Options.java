package io.cnai.installer.lifecycle;

import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.TargetFacts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The options records of the lifecycle actions, one per action. */
public final class Options {
  private Options() {}

  /** What to install: the distribution file (for the pre-flight check) and how to plan for the live facts. */
  public interface PlanSource {
    Path distributionFile();

    Plan plan(TargetFacts liveFacts);
  }

  public record Install(PlanSource source, Duration timeout, boolean requireLocked, List<String> allowUnverified) {
    public Install {
      allowUnverified = List.copyOf(allowUnverified);
    }
  }

  public record Upgrade(PlanSource source, Duration timeout, boolean requireLocked, List<String> allowUnverified,
      boolean noRollback, boolean deletePvcs) {
    public Upgrade {
      allowUnverified = List.copyOf(allowUnverified);
    }
  }

  /** @param revision the stack revision to go back to; null: the one before the deployed one */
  public record Rollback(Integer revision, Duration timeout, boolean deletePvcs) {}

  public record Uninstall(Duration timeout, boolean deletePvcs, boolean deleteCrds, boolean keepHistory) {}
}
