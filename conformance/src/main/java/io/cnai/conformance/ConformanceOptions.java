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
 * @param submission the checklist template and product metadata PRODUCT.yaml is written from
 */
public record ConformanceOptions(
    Path kubeconfig, String context, String tagExpression, Path outputDir, Path releasesDir, Clock clock,
    Submission submission) {
  public ConformanceOptions {
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(submission, "submission");
  }

  /** With the default submission: the program's published template, no product file. */
  public ConformanceOptions(Path kubeconfig, String context, String tagExpression, Path outputDir, Path releasesDir, Clock clock) {
    this(kubeconfig, context, tagExpression, outputDir, releasesDir, clock, Submission.defaults());
  }
}
