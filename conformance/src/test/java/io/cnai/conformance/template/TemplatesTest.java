package io.cnai.conformance.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.conformance.Fixtures;
import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The template comes from the program at run time: fetched over HTTP (a local server here), cached, or given. */
class TemplatesTest {
  @TempDir Path dir;

  Templates templates(String base) {
    return new Templates(dir.resolve("cache"), base, HttpClient.newHttpClient(), Duration.ofSeconds(5));
  }

  static String closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort() + "/docs/";
    }
  }

  @Test
  void thePublishedTemplateOfTheClusterVersionIsFetchedOnceThenReadFromTheCache() {
    try (Fixtures.Server server = new Fixtures.Server()) {
      server.serve("/docs/AIConformance-1.36.yaml", Fixtures.bytes(Fixtures.TEMPLATE));
      Templates t = templates(server.url("/docs/"));
      Template first = t.resolve(null, null, "1.36");
      assertThat(first.version()).isEqualTo("1.36");
      assertThat(first.requirements()).hasSize(14);
      assertThat(first.source()).isEqualTo(server.url("/docs/AIConformance-1.36.yaml"));
      assertThat(dir.resolve("cache/AIConformance-1.36.yaml")).hasBinaryContent(Fixtures.bytes(Fixtures.TEMPLATE));
      assertThat(server.hits.get()).isEqualTo(1);

      Template again = t.resolve(null, null, "1.36");
      assertThat(server.hits.get()).as("frozen templates are not fetched twice").isEqualTo(1);
      assertThat(again.requirements()).isEqualTo(first.requirements());
      assertThat(again.sha256()).isEqualTo(first.sha256());
      assertThat(again.source()).contains("cached");
    }
  }

  @Test
  void theCachedTemplateServesAnOfflineRun() throws Exception {
    try (Fixtures.Server server = new Fixtures.Server()) {
      server.serve("/docs/AIConformance-1.36.yaml", Fixtures.bytes(Fixtures.TEMPLATE));
      templates(server.url("/docs/")).resolve(null, null, "1.36");
    }
    // the same cache, nothing listening any more
    assertThat(templates(closedPort()).resolve(null, null, "v1.36.4").requirements()).hasSize(14);
  }

  @Test
  void offlineWithoutACachedTemplateIsAFailureThatNamesTheTemplateFlag() throws Exception {
    Templates t = templates(closedPort());
    assertThatThrownBy(() -> t.resolve(null, null, "1.36")).isInstanceOfSatisfying(CnaiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.FAILURE);
      assertThat(e.exitCode()).isEqualTo(1);
      assertThat(e.problem()).contains("cannot fetch the AI Conformance checklist template").contains("AIConformance-1.36.yaml")
          .contains("offline");
      assertThat(e.hint()).contains("--template FILE").contains("cncf/k8s-ai-conformance");
    });
    assertThat(dir.resolve("cache/AIConformance-1.36.yaml")).doesNotExist();
  }

  @Test
  void aVersionThatTheProgramHasNotPublishedIsBadInputPointingAtTemplateVersion() {
    try (Fixtures.Server server = new Fixtures.Server()) {
      server.serve("/docs/AIConformance-1.36.yaml", Fixtures.bytes(Fixtures.TEMPLATE));
      Templates t = templates(server.url("/docs/"));
      assertThatThrownBy(() -> t.resolve(null, null, "1.37")).isInstanceOfSatisfying(CnaiException.class, e -> {
        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
        assertThat(e.problem()).contains("no checklist template for Kubernetes v1.37").contains("HTTP 404");
        assertThat(e.hint()).contains("--template-version").contains("v1.36");
      });
      // the override: a v1.37 cluster answers the published v1.36 checklist
      assertThat(t.resolve(null, "v1.36", "1.37").version()).isEqualTo("1.36");
      assertThat(dir.resolve("cache/AIConformance-1.37.yaml")).doesNotExist();
    }
  }

  @Test
  void aTemplateFileGivesItsOwnVersionAndAContradictingOverrideIsRefused() {
    Path f = Fixtures.copy(Fixtures.TEMPLATE, dir, "checklist.yaml");
    Templates t = templates("http://127.0.0.1:1/never-used/");
    assertThat(t.resolve(f.toString(), null, "1.37").version()).isEqualTo("1.36");
    assertThat(t.resolve(f.toString(), "v1.36", "1.37").source()).isEqualTo(f.toString());
    assertThatThrownBy(() -> t.resolve(f.toString(), "v1.35", "1.37")).isInstanceOfSatisfying(CnaiException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
      assertThat(e.problem()).contains("--template-version v1.35").contains("checklist for v1.36");
    });
    assertThatThrownBy(() -> t.resolve(dir.resolve("missing.yaml").toString(), null, "1.36"))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
    assertThatThrownBy(() -> t.resolve(null, "latest", "1.36"))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.hint()).contains("v1.36"));
  }

  @Test
  void aTemplateUrlIsFetchedEachTimeAndItsCacheUsedOnlyWhenUnreachable() {
    String url;
    try (Fixtures.Server server = new Fixtures.Server()) {
      server.serve("/mirror/checklist.yaml", Fixtures.bytes(Fixtures.TEMPLATE));
      url = server.url("/mirror/checklist.yaml");
      Templates t = templates("http://127.0.0.1:1/never-used/");
      t.resolve(url, null, "1.36");
      t.resolve(url, null, "1.36");
      assertThat(server.hits.get()).isEqualTo(2);
    }
    assertThat(templates("http://127.0.0.1:1/").resolve(url, null, "1.36").source()).contains("cached");
  }

  @Test
  void aBrokenTemplateIsBadInputWithFileLineAndColumn() throws Exception {
    Path f = dir.resolve("broken.yaml");
    Files.writeString(f, Fixtures.text(Fixtures.TEMPLATE).replaceFirst("      level: MUST\n", ""));
    assertThatThrownBy(() -> templates("http://127.0.0.1:1/").resolve(f.toString(), null, null))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
          assertThat(e.location().toString()).startsWith(f + ":").matches(".*:\\d+:\\d+");
          assertThat(e.problem()).contains("ai_inference").contains("missing 'level'");
          assertThat(e.hint()).contains("--template");
        });
    Files.writeString(f, Fixtures.text(Fixtures.TEMPLATE).replace("kubernetesVersion: v1.36", "kubernetesVersion: latest"));
    assertThatThrownBy(() -> templates("http://127.0.0.1:1/").resolve(f.toString(), null, null))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.getMessage()).contains(f + ":6:").contains("v1.36"));
  }

  @Test
  void textsAreReadAsTheTemplateHasThem() {
    Template t = Fixtures.template();
    assertThat(t.byId("disaggregated_inference").orElseThrow().description())
        .isEqualTo("TEST FIXTURE: a folded block scalar, written over two lines.");
    assertThat(t.byId("virtualized_accelerator").orElseThrow().description()).contains("it's single-quoted");
    assertThat(t.byId("cluster_autoscaling").orElseThrow().level()).isEqualTo("MUST");
    assertThat(t.byCategory().keySet()).containsExactly("accelerators", "networking", "schedulingOrchestration",
        "observability", "security", "operator");
    assertThat(t.metadata()).containsEntry("vendorName", "[Vendor Name]").doesNotContainKey("k8sConformanceUrl");
  }
}
