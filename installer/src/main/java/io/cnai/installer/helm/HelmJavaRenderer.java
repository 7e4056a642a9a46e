package io.cnai.installer.helm;

import com.marcnuri.helm.Helm;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders charts in-process with helm-java's {@code template} (Helm's own engine in a native
 * library), client-side: no cluster is contacted (the one way around it, {@code lookup} inside text
 * rendered with {@code tpl}, fails with an explanation). What helm-java lacks is made up for as
 * docs/adr/0101-rendering-with-helm-java.md explains:
 *
 * <ul>
 *   <li>the target Kubernetes version is passed ({@code kubeVersion} constraints are checked by Helm);
 *   <li>{@code lookup} returns an empty map (as {@code helm template} does);
 *   <li>the target's API versions answer {@code .Capabilities.APIVersions.Has};
 *   <li>hooks are rendered and returned apart; CRDs of {@code crds/} are read from the chart;
 *   <li>subcharts are the pinned archives given, never fetched.
 * </ul>
 *
 * Renders may run at the same time: each call into Helm builds its own action configuration (ADR 0307).
 */
public final class HelmJavaRenderer implements ChartRenderer {
  private static final Pattern RELEASE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern KUBE_VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(\\.\\d+)?([-+][0-9A-Za-z.+-]*)?");
  private static final Pattern API_VERSION = Pattern.compile("([a-z0-9.-]+/)?v[0-9a-z]+(/[A-Za-z0-9]+)?");
  private static final Pattern KUBE_CONSTRAINT =
      Pattern.compile("chart requires kubeVersion: (.+?) which is incompatible with Kubernetes (\\S+)");
  private static final Pattern MISSING_DEPS =
      Pattern.compile("found in Chart\\.yaml, but missing in charts/ directory: ([^\\n]+)");

  @Override
  public RenderedChart render(RenderRequest request) {
    validate(request);
    try (ChartWorkspace ws = ChartWorkspace.open(request)) {
      String chart = ws.chartName() + " " + ws.chartVersion();
      if (ws.unrewrittenHas() > 0) {
        throw CnaiException.failure(
            "chart " + chart + " (release " + request.releaseName() + ") checks .Capabilities.APIVersions.Has in "
                + ws.unrewrittenHas() + " place(s) in a form cnai cannot answer with the target's API versions ("
                + String.join(", ", ws.unrewrittenAt()) + "); rendering it would ignore the cluster's CRDs there",
            "switch off the chart feature that those templates belong to in the component's values (e.g. --set "
                + request.releaseName() + ".<feature>.enabled=false, or disable that subchart), or render without a "
                + "cluster ('cnai render', where only built-in APIs are assumed); cnai answers a string, a variable, "
                + "a field or a parenthesised expression after Has");
      }
      Path valuesFile = ws.newFile("cnai-values.yaml");
      writeValues(valuesFile, request.values());
      // helm-java gives null, not "", for a chart whose templates render nothing (kserve-crd with
      // its CRD templates left out, as Helm installs it)
      String output = java.util.Objects.requireNonNullElse(template(ws, valuesFile, request, chart), "");
      return split(TemplateRewrites.restore(output), ws.crdDocuments(request.values()), chart);
    }
  }

  static void validate(RenderRequest r) {
    if (r.releaseName() == null || r.releaseName().length() > 53 || !RELEASE.matcher(r.releaseName()).matches()) {
      throw CnaiException.badInput(
          "release name '" + r.releaseName() + "' is not valid",
          "use at most 53 lower-case letters, digits and '-', starting and ending with a letter or digit");
    }
    if (r.namespace() == null || r.namespace().length() > 63 || !RELEASE.matcher(r.namespace()).matches()) {
      throw CnaiException.badInput(
          "namespace '" + r.namespace() + "' for release " + r.releaseName() + " is not valid",
          "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit");
    }
    if (r.kubeVersion() == null || !KUBE_VERSION.matcher(r.kubeVersion()).matches()) {
      throw CnaiException.badInput(
          "Kubernetes version '" + r.kubeVersion() + "' for release " + r.releaseName() + " is not a version",
          "give the target's version, e.g. 1.35.0");
    }
    for (String v : r.apiVersions()) {
      if (v == null || !API_VERSION.matcher(v).matches()) {
        throw CnaiException.badInput(
            "API version '" + v + "' for release " + r.releaseName() + " is not group/version or group/version/Kind",
            "write e.g. cert-manager.io/v1 or monitoring.coreos.com/v1/ServiceMonitor");
      }
    }
  }

  static void writeValues(Path file, Map<String, Object> values) {
    try {
      ChartWorkspace.YAML.writeValue(file.toFile(), TemplateRewrites.values(values));
    } catch (IOException e) {
      throw CnaiException.failure("cannot write the values file " + file + ": " + e.getMessage(), null, e);
    }
  }

  private static String template(ChartWorkspace ws, Path valuesFile, RenderRequest r, String chart) {
    try {
      return new Helm(ws.chartDir())
          .template()
          .withName(r.releaseName())
          .withNamespace(r.namespace())
          .withKubeVersion(r.kubeVersion())
          .withValuesFile(valuesFile)
          .skipCrds()
          .call();
    } catch (RuntimeException e) {
      throw translate(e, chart, r);
    }
  }

  static CnaiException translate(RuntimeException e, String chart, RenderRequest r) {
    String msg = String.valueOf(e.getMessage()).replace("\n\nUse --debug flag to render out invalid YAML", "").strip();
    msg = TemplateRewrites.restore(msg);
    Matcher kube = KUBE_CONSTRAINT.matcher(msg);
    if (kube.find()) {
      return CnaiException.badInput(
          "chart " + chart + " requires Kubernetes " + kube.group(1) + ", but the target runs " + kube.group(2),
          "use a target with a Kubernetes version that satisfies " + kube.group(1)
              + ", or a version of the chart that supports " + kube.group(2));
    }
    if (msg.contains("values don't meet the specifications of the schema")) {
      return CnaiException.badInput(
          "values for chart " + chart + " (release " + r.releaseName() + ") break the chart's values.schema.json:\n"
              + indent(msg.substring(msg.indexOf("values don't meet"))),
          "fix the values named above in the profile or your overrides");
    }
    if (msg.startsWith("error loading config file") || msg.startsWith("invalid configuration")) {
      // helm-java builds a Kubernetes client from the default kubeconfig even to render client-side
      return CnaiException.failure(
          "cannot render chart " + chart + ": helm-java reads the default kubeconfig even to render, and it is broken: " + msg,
          "fix the file named by KUBECONFIG (or ~/.kube/config), e.g. 'kubectl config use-context <existing>', "
              + "or start cnai with KUBECONFIG set to a valid or absent file; rendering never contacts a cluster");
    }
    if (msg.contains("error calling lookup")) {
      // only reachable through tpl on values or files: templates' own lookup calls are rewritten
      return CnaiException.failure(
          "chart " + chart + " calls lookup from text it renders with tpl (values or files), which cnai cannot keep "
              + "client-side in-process: " + msg,
          "override the chart value whose text holds the lookup call (the message above names the template) with one "
              + "that does not call lookup");
    }
    Matcher deps = MISSING_DEPS.matcher(msg);
    if (deps.find()) {
      return CnaiException.badInput(
          "chart " + chart + " needs subchart(s) " + deps.group(1).strip() + " that were not given",
          "pin the subcharts in the lock ('cnai distro lock') so that they are fetched, verified and placed before rendering");
    }
    return CnaiException.failure(
        "rendering chart " + chart + " (release " + r.releaseName() + ") failed: " + msg,
        "check the values given to the chart; the message above is Helm's",
        e);
  }

  private static String indent(String s) {
    return "  " + s.strip().replace("\n", "\n  ");
  }

  static RenderedChart split(String output, List<String> crdFiles, String chart) {
    List<Manifest> crds = new ArrayList<>();
    List<Manifest> resources = new ArrayList<>();
    List<Manifest> hooks = new ArrayList<>();
    for (String doc : crdFiles) {
      Manifest m = Manifests.parse(doc, chart);
      if (m != null) {
        crds.add(m);
      }
    }
    for (String doc : Manifests.documents(output, "rendered")) {
      Manifests.Parsed p = Manifests.read(doc, chart);
      if (p == null) {
        continue;
      }
      Manifest m = p.manifest();
      if (p.hook()) {
        hooks.add(m);
      } else if (m.isCrd()) {
        crds.add(m);
      } else {
        resources.add(m);
      }
    }
    return new RenderedChart(crds, resources, hooks);
  }
}
