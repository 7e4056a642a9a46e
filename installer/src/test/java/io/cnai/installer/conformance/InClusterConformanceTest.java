package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cnai.conformance.ConformanceOptions;
import io.cnai.conformance.ConformanceResult;
import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.ScenarioOutcome;
import io.cnai.installer.cluster.ClusterRequest;
import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeRegistries;
import io.cnai.installer.cluster.NodeTopology;
import io.cnai.installer.cluster.sim.LocalProvider;
import io.cnai.installer.cluster.sim.NodeBinaries;
import io.cnai.installer.cluster.sim.SimBinaries;
import io.cnai.installer.cluster.sim.SimCluster;
import io.cnai.installer.images.BuiltImage;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import io.cnai.installer.images.JibImageBuilder;
import io.cnai.installer.TestPaths;
import io.cnai.installer.images.Registry;
import io.cnai.installer.json.Mappers;
import io.cnai.installer.kube.ConformanceJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The in-cluster runner on a local cluster with a real node and its own registry: the suite runs
 * once from outside and once as a Job (image built here by jlink and jib-core, pushed to the
 * cluster's registry, pulled by the node); both give the same requirement answers and the same
 * scenario outcomes, the reports come back, and the runner's namespace and RBAC are gone afterwards.
 * Not run (with the reason) without root, the node binaries, the registry binary or the OS packages.
 */
@Tag("sim")
@Tag("nodes")
class InClusterConformanceTest {

  @Test
  void theInClusterRunGivesTheSameResultsAsTheOutsideRun() throws Exception {
    Path home = Files.createTempDirectory("cnai-incluster");
    NodeBinaries binaries = NodeBinaries.fromEnvironment();
    LocalProvider provider = new LocalProvider(home, SimBinaries.fromEnvironment(), binaries, Clock.systemUTC());
    List<String> missing = new ArrayList<>(provider.missing());
    if (!Files.isExecutable(binaries.registry())) {
      missing.add(binaries.registry() + " (run installer/tools/build-registry.sh)");
    }
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    if (!Files.isExecutable(jlink)) {
      missing.add(jlink + " (a JDK, not a JRE)");
    }
    if (!missing.isEmpty()) {
      Files.delete(home);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "not run: the in-cluster runner on a real node needs " + missing);

    String name = "incluster-" + ProcessHandle.current().pid();
    Path work = Files.createTempDirectory("cnai-incluster-work");
    Path releases = TestPaths.root().resolve("distro/releases");
    try {
      long t0 = System.nanoTime();
      SimCluster cluster = provider.start(ClusterRequest.of(name, new NodeTopology(1, 0, 8, GpuProduct.of(GpuProduct.DEFAULT)))
          .withRegistries(new NodeRegistries(List.of(), true)));
      Path kubeconfig = cluster.cluster().kubeconfig();
      System.out.printf("[incluster] cluster %s with its registry created in %d ms%n", name, ms(t0));

      long o0 = System.nanoTime();
      ConformanceResult outside = ConformanceRunner.run(new ConformanceOptions(kubeconfig, null, null, work.resolve("outside"),
          releases, Clock.systemUTC(), ConformanceFixtures.submission()));
      long o1 = System.nanoTime();
      System.out.printf("[incluster] outside run %d ms: %d passed, %d failed, %d not run%n", (o1 - o0) / 1_000_000,
          outside.count(ScenarioOutcome.Status.PASSED), outside.count(ScenarioOutcome.Status.FAILED),
          outside.count(ScenarioOutcome.Status.NOT_RUN));
      System.out.print(outside.summary());
      assertThat(outside.count(ScenarioOutcome.Status.PASSED)).as("scenarios that run on a real node pass").isPositive();

      // the registry is found from the local cluster's folder (no --registry)
      Path inside = work.resolve("inside");
      List<String> progress = new ArrayList<>();
      long i0 = System.nanoTime();
      InClusterConformance.Result r = new InClusterConformance(JibImageBuilder.fromEnvironment(), ConformanceImage.fromEnvironment(),
          line -> {
            progress.add(line);
            System.out.println("[incluster] " + line);
          })
          .run(new InClusterConformance.Options(kubeconfig, null, null, inside, ConformanceFixtures.submission(), null, null,
              releases, Duration.ofMinutes(10)));
      long i1 = System.nanoTime();
      System.out.printf("[incluster] in-cluster run %d ms (image build+push %d ms, %d KiB; Job to reports %d ms; copy %d ms)%n",
          (i1 - i0) / 1_000_000, r.buildMillis(), r.imageBytes() / 1024, r.jobMillis(), r.copyMillis());
      System.out.print(r.summary());

      assertThat(r.exitCode()).as(r.summary()).isEqualTo(outside.exitCode());
      assertThat(r.summary()).contains("reports: " + inside.toAbsolutePath().normalize() + " (");
      for (String f : List.of("junit.xml", "cucumber.json", "cucumber.html", "PRODUCT.yaml", "summary.txt", "exit-code")) {
        assertThat(inside.resolve(f)).as(f + " came back").isNotEmptyFile();
      }
      assertThat(inside.resolve(".done")).doesNotExist();
      assertThat(requirementStatuses(inside.resolve("PRODUCT.yaml"))).as("requirement answers")
          .isEqualTo(requirementStatuses(work.resolve("outside/PRODUCT.yaml")))
          .isEqualTo(statuses(outside));
      assertThat(scenarios(inside.resolve("junit.xml"))).as("scenario outcomes")
          .isEqualTo(scenarios(work.resolve("outside/junit.xml")));
      try (Stream<Path> ev = Files.list(work.resolve("outside/evidence"))) {
        for (Path e : ev.toList()) {
          assertThat(inside.resolve("evidence").resolve(e.getFileName())).as("evidence " + e.getFileName()).exists();
        }
      }
      assertThat(r.image()).startsWith("cnai.local/cnai-conformance@sha256:");

      // everything the runner made is gone: namespace, ClusterRole, ClusterRoleBinding, Roles
      try (KubernetesClient client = cluster.cluster().access().open()) {
        assertThat(client.namespaces().withLabel(ConformanceJob.LABEL).list().getItems()).as("runner namespaces").isEmpty();
        assertThat(client.rbac().clusterRoles().withLabel(ConformanceJob.LABEL).list().getItems()).isEmpty();
        assertThat(client.rbac().clusterRoleBindings().withLabel(ConformanceJob.LABEL).list().getItems()).isEmpty();
        assertThat(client.rbac().roles().inAnyNamespace().withLabel(ConformanceJob.LABEL).list().getItems()).isEmpty();
      }

      // a second build of the same image reuses every cached layer
      Registry registry = Registry.parse(provider.localRegistry(name).orElseThrow());
      ImageSpec spec = ConformanceImage.fromEnvironment().spec(ImageRef.parse(InClusterConformance.DEFAULT_IMAGE + ":dev"), releases);
      long c0 = System.nanoTime();
      BuiltImage again = JibImageBuilder.fromEnvironment().push(spec, registry, spec.name().inMirror(registry.host()));
      System.out.printf("[incluster] cached rebuild + push %d ms, %d KiB, %d layers%n", ms(c0), again.bytes() / 1024, again.layers());
      assertThat(r.image()).endsWith(again.digest());
    } finally {
      long d0 = System.nanoTime();
      provider.delete(name);
      System.out.printf("[incluster] delete %d ms%n", ms(d0));
      deleteTree(work);
      deleteTree(home);
    }
  }

  private static Map<String, String> statuses(ConformanceResult r) {
    Map<String, String> m = new TreeMap<>();
    r.requirements().forEach(q -> m.put(q.requirement().id(), q.status()));
    return m;
  }

  /** id -> status of every requirement answered in a PRODUCT.yaml. */
  static Map<String, String> requirementStatuses(Path productYaml) throws Exception {
    JsonNode root = Mappers.YAML.readTree(Files.readString(productYaml));
    Map<String, String> m = new TreeMap<>();
    root.path("spec").forEach(category -> category.forEach(req -> m.put(req.path("id").asText(), req.path("status").asText())));
    assertThat(m).as("requirements in " + productYaml).isNotEmpty();
    return m;
  }

  /** "class | name" -> passed, failed or skipped, for every test case of a JUnit report. */
  static Map<String, String> scenarios(Path junit) throws Exception {
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
    NodeList cases = doc.getElementsByTagName("testcase");
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      String outcome = c.getElementsByTagName("failure").getLength() + c.getElementsByTagName("error").getLength() > 0 ? "failed"
          : c.getElementsByTagName("skipped").getLength() > 0 ? "skipped" : "passed";
      String key = c.getAttribute("classname") + " | " + c.getAttribute("name");
      m.merge(key, outcome, (a, b) -> a + "," + b);
    }
    return m;
  }

  private static long ms(long from) {
    return (System.nanoTime() - from) / 1_000_000;
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (java.io.IOException e) {
      // best effort
    }
  }
}
