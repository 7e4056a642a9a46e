package io.cnai.installer.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chart to render, client-side, for a given target.
 *
 * @param chartArchive the verified chart archive ({@code .tgz}) as the chart cache hands it out
 * @param subchartArchives pinned, verified subchart archives; each is placed into the chart's
 *     {@code charts/} folder before rendering, replacing a bundled subchart of the same name. Nothing
 *     is ever re-resolved from a repository.
 * @param releaseName the Helm release name (DNS-1123 label, at most 53 characters)
 * @param namespace the release namespace
 * @param values user values, merged over the chart's {@code values.yaml} as Helm does
 * @param kubeVersion the target's Kubernetes version, e.g. {@code 1.35.0} (with or without {@code v})
 * @param apiVersions what the target serves beyond built-in Kubernetes APIs, as Helm's {@code
 *     --api-versions}: {@code group/version} or {@code group/version/Kind}, e.g. {@code
 *     cert-manager.io/v1}, {@code monitoring.coreos.com/v1/ServiceMonitor}
 */
public record RenderRequest(
    Path chartArchive,
    List<Path> subchartArchives,
    String releaseName,
    String namespace,
    Map<String, Object> values,
    String kubeVersion,
    List<String> apiVersions) {
  public RenderRequest {
    Objects.requireNonNull(chartArchive, "chartArchive");
    subchartArchives = subchartArchives == null ? List.of() : List.copyOf(subchartArchives);
    values = values == null ? Map.of() : values;
    apiVersions = apiVersions == null ? List.of() : List.copyOf(apiVersions);
  }

  /** A request without subcharts, values or extra API versions. */
  public static RenderRequest of(Path chartArchive, String releaseName, String namespace, String kubeVersion) {
    return new RenderRequest(chartArchive, List.of(), releaseName, namespace, Map.of(), kubeVersion, List.of());
  }

  public RenderRequest withValues(Map<String, Object> newValues) {
    return new RenderRequest(chartArchive, subchartArchives, releaseName, namespace, newValues, kubeVersion, apiVersions);
  }

  public RenderRequest withSubcharts(List<Path> archives) {
    return new RenderRequest(chartArchive, archives, releaseName, namespace, values, kubeVersion, apiVersions);
  }

  public RenderRequest withApiVersions(List<String> versions) {
    return new RenderRequest(chartArchive, subchartArchives, releaseName, namespace, values, kubeVersion, versions);
  }

  public RenderRequest withKubeVersion(String version) {
    return new RenderRequest(chartArchive, subchartArchives, releaseName, namespace, values, version, apiVersions);
  }
}
