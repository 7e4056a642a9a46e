package io.cnai.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cnai.core.CnaiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycloneDxSbomTest {
  static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static final Instant T = Instant.parse("2026-11-28T12:00:00Z");
  final ObjectMapper json = new ObjectMapper();

  static SbomInput input(List<SbomInput.StackComponent> components) {
    return new SbomInput("cnai", "2026.11", "test release", T, components);
  }

  static SbomInput.StackComponent certs() {
    return new SbomInput.StackComponent(
        "certs", "1.4.0", "certs-system", "helm", "https://charts.example/certs",
        List.of(new SbomInput.Artifact("chart", "certs", "1.4.0", "https://charts.example/certs", "sha256:" + HEX),
            new SbomInput.Artifact("subchart", "common", "2.0.0", null, null)),
        List.of(new SbomInput.Image("registry.example/certs/controller:v1.4.0@sha256:" + HEX, List.of("Deployment certs-system/controller")),
            new SbomInput.Image("registry.example:5000/certs/webhook:v1.4.0", List.of("Deployment certs-system/webhook", "lockfile"))),
        List.of("Apache-2.0", "Some Vendor Licence"),
        List.of());
  }

  static SbomInput.StackComponent queues() {
    return new SbomInput.StackComponent(
        "queues", "0.9.2", "queues-system", "helm", null, List.of(), List.of(new SbomInput.Image("busybox", List.of("CronJob queues-system/gc"))),
        List.of(), List.of("certs"));
  }

  JsonNode sbom() throws Exception {
    return json.readTree(CycloneDxSbom.json(input(List.of(certs(), queues()))));
  }

  static List<JsonNode> all(JsonNode components) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode c : components) {
      out.add(c);
      if (c.has("components")) {
        out.addAll(all(c.get("components")));
      }
    }
    return out;
  }

  @Test
  void isValidCycloneDx16WithTheDistributionAsSubject() throws Exception {
    String text = CycloneDxSbom.json(input(List.of(certs(), queues())));
    assertThat(CycloneDxSbom.validate(text)).isEmpty();
    JsonNode s = json.readTree(text);
    assertThat(s.get("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(s.get("specVersion").asText()).isEqualTo("1.6");
    assertThat(s.at("/metadata/component/type").asText()).isEqualTo("platform");
    assertThat(s.at("/metadata/component/name").asText()).isEqualTo("cnai");
    assertThat(s.at("/metadata/component/version").asText()).isEqualTo("2026.11");
    assertThat(s.at("/metadata/timestamp").asText()).startsWith("2026-11-28T12:00:00");
  }

  @Test
  void imagesCarryPurlAndDigestWhenPinned() throws Exception {
    List<JsonNode> containers = all(sbom().get("components")).stream().filter(c -> c.get("type").asText().equals("container")).toList();
    assertThat(containers).hasSize(3);
    JsonNode pinned = containers.get(0);
    assertThat(pinned.get("name").asText()).isEqualTo("registry.example/certs/controller");
    assertThat(pinned.get("version").asText()).isEqualTo("sha256:" + HEX);
    assertThat(pinned.at("/hashes/0/alg").asText()).isEqualTo("SHA-256");
    assertThat(pinned.at("/hashes/0/content").asText()).isEqualTo(HEX);
    assertThat(pinned.get("purl").asText()).startsWith("pkg:oci/controller@sha256%3A" + HEX).contains("repository_url=registry.example%2Fcerts%2Fcontroller").contains("tag=v1.4.0");
    JsonNode tagged = containers.get(1);
    assertThat(tagged.get("name").asText()).isEqualTo("registry.example:5000/certs/webhook");
    assertThat(tagged.get("version").asText()).isEqualTo("v1.4.0");
    assertThat(tagged.has("hashes")).isFalse();
    assertThat(tagged.get("properties").toString()).contains("\"cnai:pinned\"").contains("lockfile").contains("Deployment certs-system/webhook");
    assertThat(containers.get(2).get("version").asText()).isEqualTo("latest");
  }

  @Test
  void chartsAndSubchartsWithDigestsLicencesAndDependencies() throws Exception {
    JsonNode s = sbom();
    JsonNode certs = s.at("/components/0");
    assertThat(certs.get("bom-ref").asText()).isEqualTo("component:certs");
    JsonNode chart = certs.at("/components/0");
    assertThat(chart.get("type").asText()).isEqualTo("file");
    assertThat(chart.at("/hashes/0/content").asText()).isEqualTo(HEX);
    assertThat(certs.at("/components/1/name").asText()).isEqualTo("common");
    assertThat(certs.at("/components/1").has("hashes")).isFalse();
    assertThat(certs.at("/licenses/0/license/id").asText()).isEqualTo("Apache-2.0");
    assertThat(certs.at("/licenses/1/license/name").asText()).isEqualTo("Some Vendor Licence");

    JsonNode deps = s.get("dependencies");
    assertThat(deps.get(0).get("ref").asText()).isEqualTo("distribution:cnai@2026.11");
    assertThat(deps.get(0).get("dependsOn").toString()).contains("component:certs").contains("component:queues");
    JsonNode queues = deps.get(2);
    assertThat(queues.get("ref").asText()).isEqualTo("component:queues");
    assertThat(queues.get("dependsOn").toString()).contains("component:certs").contains("queues:image:busybox");
  }

  @Test
  void metadataPropertiesSayWhatWasDescribed() throws Exception {
    SbomInput in = new SbomInput("cnai", "2026.11", null, T, List.of(certs()), java.util.Map.of("cnai:profile", "kind"));
    JsonNode s = json.readTree(CycloneDxSbom.json(in));
    assertThat(s.at("/metadata/properties/0/name").asText()).isEqualTo("cnai:profile");
    assertThat(s.at("/metadata/properties/0/value").asText()).isEqualTo("kind");
  }

  @Test
  void sameInputSameBytes() {
    assertThat(CycloneDxSbom.json(input(List.of(certs(), queues())))).isEqualTo(CycloneDxSbom.json(input(List.of(certs(), queues()))));
  }

  @Test
  void unknownDependencyIsBadInput() {
    SbomInput.StackComponent q = queues();
    assertThatThrownBy(() -> CycloneDxSbom.json(input(List.of(q))))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.problem()).contains("'queues' depends on 'certs'");
        });
  }

  @Test
  void notAnImageReferenceIsBadInput() {
    SbomInput.StackComponent bad = new SbomInput.StackComponent(
        "x", "1", null, "helm", null, List.of(), List.of(new SbomInput.Image("{{ .Values.image }}", List.of())), List.of(), List.of());
    assertThatThrownBy(() -> CycloneDxSbom.json(input(List.of(bad))))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.problem()).contains("is not a container image reference"));
  }

  @Test
  void badDigestIsBadInput() {
    SbomInput.StackComponent bad = new SbomInput.StackComponent(
        "x", "1", null, "helm", null, List.of(new SbomInput.Artifact("chart", "x", "1", null, "sha256:abc")), List.of(), List.of(), List.of());
    assertThatThrownBy(() -> CycloneDxSbom.json(input(List.of(bad))))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.problem()).contains("is not a SHA-256 digest"));
  }

  @Test
  void validatorRejectsWhatTheSchemaForbids() throws Exception {
    ObjectNode s = (ObjectNode) sbom();
    ((ObjectNode) s.at("/components/0")).put("type", "helm-chart");
    assertThat(CycloneDxSbom.validate(s.toString())).isNotEmpty();
    ObjectNode noFormat = (ObjectNode) sbom();
    noFormat.remove("bomFormat");
    assertThat(CycloneDxSbom.validate(noFormat.toString())).isNotEmpty();
    assertThat(CycloneDxSbom.validate("not json")).isNotEmpty();
  }

  @Test
  void imageReferences() {
    assertThat(ImageRef.parseOrNull("registry.example/jetstack/cert-manager-controller:v1.21.1"))
        .isEqualTo(new ImageRef("registry.example/jetstack/cert-manager-controller", "v1.21.1", null));
    assertThat(ImageRef.parseOrNull("host:5000/repo")).isEqualTo(new ImageRef("host:5000/repo", null, null));
    assertThat(ImageRef.parseOrNull("repo@sha256:" + HEX)).isEqualTo(new ImageRef("repo", null, "sha256:" + HEX));
    assertThat(ImageRef.parseOrNull("")).isNull();
    assertThat(ImageRef.parseOrNull("Upper/Case:1")).isNull();
  }
}
