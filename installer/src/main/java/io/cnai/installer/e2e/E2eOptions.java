package io.cnai.installer.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@code cnai e2e run} runs.
 *
 * @param pipelines the samples to run, in order
 * @param image the sample-pipelines image the steps run from
 * @param stepTimeout the longest one step (a Job) may take, image pull included
 * @param epochs training epochs
 * @param minAccuracy the least accuracy the served model must reach on the held-out images
 * @param outputDir where the JUnit XML and the summary go
 * @param keep leave the Jobs and the scratch claim (to look at them) instead of deleting them
 */
public record E2eOptions(List<Pipeline> pipelines, String image, Duration stepTimeout, int epochs, double minAccuracy,
    Path outputDir, boolean keep) {

  public static final String DEFAULT_IMAGE = "cnai.local/sample-pipelines:0.1.0";
  /** How long one step may take by default (a duration as the command line writes it). */
  public static final String DEFAULT_STEP_TIMEOUT = "10m";
  public static final int DEFAULT_EPOCHS = 20;

  public E2eOptions {
    pipelines = List.copyOf(pipelines);
  }
}
