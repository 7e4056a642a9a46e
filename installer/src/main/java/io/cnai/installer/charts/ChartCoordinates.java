package io.cnai.installer.charts;

import io.cnai.core.CnaiException;
import java.util.regex.Pattern;

/**
 * Where a chart comes from: {@code repository} is either an HTTP(S) chart repository (a URL whose
 * {@code index.yaml} lists the chart) or an OCI location {@code oci://host[:port]/path}, in which
 * case the chart is the OCI artifact {@code oci://host/path/<chart>:<version>}.
 */
public record ChartCoordinates(String repository, String chart, String version) {
  private static final Pattern CHART_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public ChartCoordinates {
    if (repository == null || repository.isBlank()) {
      throw CnaiException.badInput(
          "chart '" + chart + "': no repository given",
          "write an https:// chart repository URL or an oci://host/path location");
    }
    if (!(repository.startsWith("https://")
        || repository.startsWith("http://")
        || repository.startsWith("oci://"))) {
      throw CnaiException.badInput(
          "chart '" + chart + "': repository '" + repository + "' is neither https://, http:// nor oci://",
          "write an https:// chart repository URL or an oci://host/path location");
    }
    if (chart == null || !CHART_NAME.matcher(chart).matches()) {
      throw CnaiException.badInput(
          "chart name '" + chart + "' (repository " + repository + ") is not a chart name",
          "write the chart's name only, e.g. 'cert-manager', without the repository or a slash");
    }
    if (version == null || version.isBlank() || version.chars().anyMatch(Character::isWhitespace)) {
      throw CnaiException.badInput(
          "chart '" + chart + "' (repository " + repository + "): version '" + version + "' is not a version",
          "write the exact chart version, e.g. 1.2.3 or v1.21.1, as the repository publishes it");
    }
    // One spelling for a repository, so that the same chart is the same key everywhere.
    String scheme = repository.substring(0, repository.indexOf("://") + 3);
    String afterScheme = repository.substring(scheme.length());
    while (afterScheme.endsWith("/")) {
      afterScheme = afterScheme.substring(0, afterScheme.length() - 1);
    }
    repository = scheme + afterScheme;
    String host = afterScheme.contains("/") ? afterScheme.substring(0, afterScheme.indexOf('/')) : afterScheme;
    boolean hostOk = !host.isEmpty() && !host.contains("@") && host.matches("[A-Za-z0-9.\\[\\]:-]+");
    if (!hostOk || afterScheme.contains(" ") || afterScheme.contains("?") || afterScheme.contains("#")) {
      throw CnaiException.badInput(
          "chart '" + chart + "': repository '" + repository + "' has no valid host",
          "write e.g. https://charts.example.org/stable or oci://registry.example.org/charts (no credentials, query or fragment)");
    }
  }

  public boolean isOci() {
    return repository.startsWith("oci://");
  }

  /** How errors name this chart: {@code cert-manager v1.21.1 from oci://quay.io/jetstack/charts}. */
  public String describe() {
    return chart + " " + version + " from " + repository;
  }

  @Override
  public String toString() {
    return describe();
  }
}
