package io.cnai.conformance;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What to run the suite against and where to write the reports.
 *
 * @param kubeconfig the kubeconfig file; null: $KUBECONFIG, else ~/.kube/config
 * @param context the kubeconfig context; null: its current context
 * @param tagExpression a Cucumber tag expression selecting scenarios; null or blank: all
 * @param outputDir where the reports go (created)
 * @param releasesDir where the distribution lockfiles are ({@code <dir>/<version>/distribution.yaml}),
 *     to compare the installed stack with its lock; null: the stack-versus-lock check is not run
 * @param clock when the run happened (report time stamps)
 */
public record ConformanceOptions(
    Path kubeconfig, String context, String tagExpression, Path outputDir, Path releasesDir, Clock clock) {
  public ConformanceOptions {
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(clock, "clock");
  }
}
