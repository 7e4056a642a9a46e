package io.cnai.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import io.cnai.distro.Component;
import io.cnai.distro.DistributionLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The features agree with the requirement catalogue, the lockfile and the step definitions. */
class SuiteCatalogueTest {
  static final String DIR = "io/cnai/conformance/features/";
  static final Pattern TAG = Pattern.compile("(?<=^|\\s)@[\\w.-]+");

  static String feature(String file) throws IOException {
    try (InputStream in = SuiteCatalogueTest.class.getClassLoader().getResourceAsStream(DIR + file)) {
      assertThat(in).as(DIR + file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Set<String> tags(String line) {
    Set<String> out = new TreeSet<>();
    Matcher m = TAG.matcher(line.strip());
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  @Test
  void everyRequirementHasItsFeatureTaggedWithIdLevelAndVersions() throws IOException {
    for (Requirement r : Requirements.ALL) {
      String text = feature(r.id() + ".feature");
      Set<String> featureTags = tags(text.lines().filter(l -> l.strip().startsWith("@")).findFirst().orElse(""));
      String newest = Requirements.VERSIONS.stream().filter(v -> r.levels().containsKey(v)).reduce((a, b) -> b).orElseThrow();
      Set<String> versions = r.levels().keySet().stream().map(v -> "@v" + v).collect(Collectors.toCollection(TreeSet::new));
      assertThat(featureTags).as(r.id()).contains("@" + r.id(), "@" + r.levels().get(newest).name()).containsAll(versions);
      assertThat(featureTags.stream().filter(t -> t.startsWith("@v1."))).as(r.id()).containsExactlyInAnyOrderElementsOf(versions);
    }
  }

  @Test
  void everyFeatureIsARequirementOrOneOfCnaisOwnSoItsEvidenceAndSummaryRowAreWritten() throws IOException {
    List<String> stray = new ArrayList<>();
    for (String f : featureFiles()) {
      String first = feature(f).lines().filter(l -> l.strip().startsWith("@")).findFirst().orElse("");
      String id = tags(first).stream().filter(t -> Requirements.ownFeature(t) || Requirements.byId(t.substring(1)).isPresent())
          .findFirst().orElse(null);
      if (id == null) {
        stray.add(f + ": " + first.strip());
      }
    }
    assertThat(stray).as("features whose tags name neither a requirement nor one of Requirements.OWN_FEATURES").isEmpty();
    assertThat(featureFiles()).contains("sample_pipelines.feature", "platform.feature", "stack.feature");
  }

  @Test
  void needsTagsAreSpelledRight() throws IOException {
    List<String> bad = new ArrayList<>();
    for (String f : featureFiles()) {
      for (String line : feature(f).lines().filter(l -> l.strip().startsWith("@")).toList()) {
        tags(line).stream().filter(t -> t.startsWith("@needs")).filter(t -> Need.ofTag(t).isEmpty())
            .forEach(t -> bad.add(f + ": " + t));
      }
    }
    assertThat(bad).isEmpty();
  }

  @Test
  void everyComponentOfTheReleaseThatRunsSomethingHasAComponentFeature() throws IOException {
    Path lock = Path.of(System.getProperty("cnai.repo.root", "..")).resolve("distro/releases/2026.11/distribution.yaml");
    String all = String.join("\n", featureFiles().stream().map(f -> {
      try {
        return feature(f);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList());
    // parts of another component's feature: CRDs only, runtime configs, the dashboard UI and its
    // profile controller and PodDefault webhook, the Pipelines' cluster-scoped resources
    Set<String> partOfAnother = Set.of("kserve-crd", "kserve-runtime-configs", "kubeflow-dashboard", "kubeflow-profiles",
        "kubeflow-poddefaults", "kubeflow-pipelines-crds");
    for (Component c : DistributionLoader.load(lock).components()) {
      if (!partOfAnother.contains(c.name())) {
        assertThat(all).as(c.name()).contains("the stack includes the component \"" + c.name() + "\"");
      }
    }
  }

  @Test
  void everyStepHasExactlyOneDefinition() {
    // Cucumber's dry run matches every step to its definition without running anything
    List<String> problems = new ArrayList<>();
    int[] scenarios = {0};
    var request = LauncherDiscoveryRequestBuilder.request().selectors(selectPackage(ConformanceRunner.FEATURES))
        .filters(EngineFilter.includeEngines("cucumber"))
        .configurationParameters(Map.of("cucumber.glue", ConformanceRunner.GLUE, "cucumber.execution.dry-run", "true",
            "cucumber.publish.quiet", "true"))
        .build();
    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
          scenarios[0]++;
          result.getThrowable().ifPresent(t -> problems.add(id.getDisplayName() + ": " + t));
        }
      }
    });
    assertThat(scenarios[0]).isGreaterThan(60);
    assertThat(problems).isEmpty();
  }

  static List<String> featureFiles() throws IOException {
    Path dir = Path.of(System.getProperty("cnai.repo.root", ".."))
        .resolve("conformance/src/main/resources/" + DIR);
    try (var s = java.nio.file.Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".feature")).sorted().toList();
    }
  }

  @Test
  void theCatalogueListsEachIdOnce() {
    List<String> ids = Requirements.ALL.stream().map(Requirement::id).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(Arrays.asList("dra_support", "gang_scheduling", "cluster_autoscaling", "pod_autoscaling",
        "accelerator_metrics", "ai_service_metrics", "secure_accelerator_access", "robust_controller", "ai_inference"))
        .allSatisfy(id -> assertThat(ids).contains(id));
  }
}
