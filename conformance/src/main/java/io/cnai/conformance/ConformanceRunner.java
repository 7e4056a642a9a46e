package io.cnai.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import io.cnai.conformance.product.ProductFile;
import io.cnai.conformance.product.ProductInfo;
import io.cnai.conformance.product.VendorCheck;
import io.cnai.conformance.report.EvidenceWriter;
import io.cnai.conformance.report.ProductValidator;
import io.cnai.conformance.report.ProductYaml;
import io.cnai.conformance.report.Summary;
import io.cnai.conformance.report.Violation;
import io.cnai.conformance.template.Template;
import io.cnai.conformance.template.TemplateRequirement;
import io.cnai.core.CnaiException;
import io.cnai.core.Yaml;
import io.cnai.revision.StackRevision;
import io.cucumber.tagexpressions.TagExpressionException;
import io.cucumber.tagexpressions.TagExpressionParser;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the AI Conformance suite (the Cucumber features under {@value #FEATURES}) against one
 * cluster through the JUnit Platform, then writes the reports: JUnit XML, Cucumber JSON and HTML
 * (Cucumber's own plugins), evidence files, and PRODUCT.yaml, which answers the program's checklist
 * template (read at run time) for the product of {@code --product}, and which it validates with the
 * rules of the program's validator. Template and product file are read and checked before any
 * scenario runs.
 */
public final class ConformanceRunner {
  public static final String FEATURES = "io.cnai.conformance.features";
  public static final String GLUE = "io.cnai.conformance.steps";
  public static final String JUNIT_XML = "junit.xml";
  public static final String CUCUMBER_JSON = "cucumber.json";
  public static final String CUCUMBER_HTML = "cucumber.html";
  public static final String PRODUCT_YAML = "PRODUCT.yaml";

  private static final Object ONE_RUN_AT_A_TIME = new Object();

  private ConformanceRunner() {}

  public static ConformanceResult run(ConformanceOptions o) {
    String tags = o.tagExpression() == null ? "" : o.tagExpression().strip();
    checkTags(tags);
    Submission sub = o.submission();
    Optional<ProductInfo> product = Optional.ofNullable(sub.product()).map(ProductFile::load);
    Path kubeconfig = kubeconfig(o.kubeconfig());
    Config config = config(kubeconfig, o.context());
    return run(o, config, kubeconfig.toString(), product, minor -> answering(sub, product, minor));
  }

  /**
   * Runs inside a pod ({@code cnai conformance run --in-cluster}): the client is the pod's service
   * account, and the template, product and vendor verdict were read and checked outside the cluster
   * before anything was applied, so that both runs answer the same template in the same way.
   *
   * @param config the client configuration (the service account's)
   * @param template the checklist template, read from the file the outside run resolved
   */
  public static ConformanceResult runInCluster(ConformanceOptions o, Config config, Template template) {
    String tags = o.tagExpression() == null ? "" : o.tagExpression().strip();
    checkTags(tags);
    Submission sub = o.submission();
    Optional<ProductInfo> product = Optional.ofNullable(sub.product()).map(ProductFile::load);
    config.setRequestRetryBackoffLimit(2);
    return run(o, config, "the in-cluster service account", product, minor -> answering(template, sub, product, minor));
  }

  private static ConformanceResult run(ConformanceOptions o, Config config, String target, Optional<ProductInfo> product,
      java.util.function.Function<String, Answering> answer) {
    String tags = o.tagExpression() == null ? "" : o.tagExpression().strip();
    Path out = o.outputDir().toAbsolutePath().normalize();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw CnaiException.badInput("cannot create output directory " + out + ": " + e.getMessage(),
          "pass --output-dir with a folder you can write to");
    }
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      VersionInfo version = version(client, target);
      String minor = minor(version);
      Answering answering = answer.apply(minor);
      Optional<StackRevision> stack = StackRevisions.lastDeployed(client);
      Capabilities caps = CapabilityProbe.of(client.nodes().list().getItems(), stack);
      RunContext ctx = new RunContext(client, caps, stack, o.releasesDir(), o.clock());
      return execute(ctx, tags, out, version.getGitVersion(), minor, answering);
    }
  }

  /** "1.37" of a version answer. */
  public static String minor(VersionInfo version) {
    return version.getMajor().replaceAll("\\D", "") + "." + version.getMinor().replaceAll("\\D", "");
  }

  /**
   * What PRODUCT.yaml answers: the template, the product, and what keeps it from being submitted.
   *
   * @param blockers why the PRODUCT.yaml cannot be submitted whatever the scenarios say
   * @param notes what was not checked, and why
   */
  public record Answering(Template template, Optional<ProductInfo> product, List<String> blockers, List<String> notes) {}

  /** Reads the template and checks the product against it, before anything runs. */
  public static Answering answering(Submission sub, Optional<ProductInfo> product, String clusterMinor) {
    return answering(sub.templates().resolve(sub.template(), sub.templateVersion(), clusterMinor), sub, product, clusterMinor);
  }

  /** Checks the product against a template already read, and notes what keeps the report from being submitted. */
  public static Answering answering(Template template, Submission sub, Optional<ProductInfo> product, String clusterMinor) {
    List<String> blockers = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (!template.version().equals(clusterMinor)) {
      blockers.add("the cluster runs Kubernetes v" + clusterMinor + " but the checklist template is " + template.tag()
          + ": a submission for " + template.tag() + " needs a " + template.tag() + " cluster");
    }
    if (product.isEmpty()) {
      blockers.add("no product metadata (--product FILE): the metadata keeps the template's placeholders");
    } else {
      ProductInfo p = product.get();
      p.checkAgainst(template);
      VendorCheck.Verdict v = sub.vendors().check(p.vendorName());
      switch (v.kind()) {
        case NOT_MEMBER -> throw CnaiException.badInput(p.location("vendorName"),
            "product.vendorName: " + v.detail() + "; the program requires an exact match with a CNCF member's name",
            "write the organization's name exactly as listed under CNCF Members in the CNCF landscape");
        case UNKNOWN -> notes.add("vendorName '" + p.vendorName() + "' not checked against the CNCF members: " + v.detail()
            + " (the program's validator checks it)");
        case MEMBER -> notes.add("vendorName '" + p.vendorName() + "' is a CNCF member in the landscape");
      }
    }
    notes.add("URLs in metadata and evidence are not fetched by cnai; the program's validator checks that they answer");
    return new Answering(template, product, blockers, notes);
  }

  /** Runs the selected scenarios with the given context and writes every report. */
  static ConformanceResult execute(RunContext ctx, String tags, Path out, String k8s, String minor, Answering a) {
    ScenarioCollector collector = new ScenarioCollector();
    synchronized (ONE_RUN_AT_A_TIME) {
      RunContext.install(ctx);
      try {
        launch(tags, out, collector);
      } finally {
        RunContext.install(null);
      }
    }
    List<ScenarioOutcome> scenarios = collector.outcomes(ctx.worlds());
    if (scenarios.isEmpty()) {
      throw CnaiException.badInput(
          "no scenario matches the tag expression '" + tags + "'",
          "use tags of the suite, e.g. --tags '@MUST and not @needs-gpu'; docs/conformance.md lists them");
    }
    Template t = a.template();
    List<RequirementOutcome> reqs = requirements(t, a.product(), scenarios);
    EvidenceWriter.write(out, ctx.capabilities(), k8s, scenarios, reqs);
    Path product = out.resolve(PRODUCT_YAML);
    ProductYaml.write(product, t, a.product(), ctx.stack().map(StackRevision::distributionVersion), reqs, a.blockers(), ctx.clock());
    List<Violation> violations = ProductValidator.validate(product, t);
    String summary = Summary.render(k8s, t, ctx.capabilities(), scenarios, reqs, violations, a.blockers(), a.notes(), out);
    return new ConformanceResult(k8s, t.version(), ctx.capabilities(), scenarios, reqs, violations, a.blockers(), a.notes(),
        out, product, summary);
  }

  /** Every requirement of the template, answered from the scenarios tagged with its id. */
  static List<RequirementOutcome> requirements(Template t, Optional<ProductInfo> product, List<ScenarioOutcome> scenarios) {
    List<RequirementOutcome> out = new ArrayList<>();
    for (TemplateRequirement r : t.requirements()) {
      List<ScenarioOutcome> mine = scenarios.stream().filter(s -> s.hasTag(r.id())).toList();
      List<String> evidence = new ArrayList<>(List.of(EvidenceWriter.path(r.id())));
      product.ifPresent(p -> evidence.addAll(p.evidence().getOrDefault(r.id(), List.of())));
      out.add(RequirementOutcome.of(r, mine, evidence));
    }
    return out;
  }

  public static void checkTags(String tags) {
    if (tags.isEmpty()) {
      return;
    }
    try {
      TagExpressionParser.parse(tags);
    } catch (TagExpressionException e) {
      throw CnaiException.badInput("bad tag expression '" + tags + "': " + e.getMessage(),
          "write a Cucumber tag expression, e.g. --tags '@MUST and not @needs-gpu'");
    }
  }

  public static Path kubeconfig(Path given) {
    Path p = given;
    if (p == null) {
      String env = System.getenv("KUBECONFIG");
      p = env != null && !env.isBlank()
          ? Path.of(env.split(java.io.File.pathSeparator)[0])
          : Path.of(System.getProperty("user.home"), ".kube", "config");
    }
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw CnaiException.badInput("kubeconfig " + p + " cannot be read",
          "pass --kubeconfig with the path of a readable kubeconfig file (e.g. the one 'cnai cluster create' wrote)");
    }
    return p;
  }

  @SuppressWarnings("unchecked")
  public static Config config(Path kubeconfig, String context) {
    List<String> contexts = new ArrayList<>();
    Object plain;
    try {
      plain = Yaml.read(kubeconfig).toPlain();
    } catch (CnaiException e) {
      throw CnaiException.badInput("kubeconfig " + kubeconfig + " is not valid YAML: " + e.problem(),
          "pass --kubeconfig with a kubeconfig file");
    }
    if (plain instanceof Map<?, ?> m && m.get("contexts") instanceof List<?> l) {
      for (Object c : l) {
        if (c instanceof Map<?, ?> cm && cm.get("name") != null) {
          contexts.add(cm.get("name").toString());
        }
      }
    }
    if (contexts.isEmpty()) {
      throw CnaiException.badInput("kubeconfig " + kubeconfig + " has no contexts",
          "pass --kubeconfig with a kubeconfig that has at least one context");
    }
    if (context != null && !contexts.contains(context)) {
      throw CnaiException.badInput("kubeconfig " + kubeconfig + " has no context '" + context + "'",
          "use one of: " + String.join(", ", contexts));
    }
    try {
      Config c = Config.fromKubeconfig(context, kubeconfig.toFile());
      // an API server that does not answer should fail the run in seconds, not after minutes of retries
      c.setRequestRetryBackoffLimit(2);
      return c;
    } catch (KubernetesClientException | IllegalArgumentException e) {
      throw CnaiException.badInput("kubeconfig " + kubeconfig + " cannot be used: " + e.getMessage(),
          "check the kubeconfig and the --context name");
    }
  }

  private static VersionInfo version(KubernetesClient client, String kubeconfig) {
    try {
      return client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw CnaiException.failure("the API server of " + kubeconfig + " does not answer: " + e.getMessage(),
          "check that the cluster is running ('cnai cluster list' for sim clusters) and that the kubeconfig is current", e);
    }
  }

  private static void launch(String tags, Path out, ScenarioCollector collector) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("cucumber.glue", GLUE);
    params.put("cucumber.plugin", String.join(", ",
        "junit:" + out.resolve(JUNIT_XML), "json:" + out.resolve(CUCUMBER_JSON), "html:" + out.resolve(CUCUMBER_HTML)));
    params.put("cucumber.publish.quiet", "true");
    if (!tags.isEmpty()) {
      params.put("cucumber.filter.tags", tags);
    }
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectPackage(FEATURES))
        .filters(EngineFilter.includeEngines("cucumber"))
        .configurationParameters(params)
        .build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, collector);
  }
}
