package io.cnai.installer.lifecycle;

import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.TargetFacts;
import java.nio.file.Path;

/** What to install: the distribution file and how to plan for the live cluster's facts. */
public interface PlanSource {
  Path distributionFile();

  Plan plan(TargetFacts liveFacts);
}
