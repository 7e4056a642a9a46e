package io.cnai.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LockfileEditorTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);

  @Test
  void insertsAndReplacesDigestsKeepingCommentsAndLayout() throws IOException {
    String original = Files.readString(Path.of("releases/2026.11/distribution.yaml"));
    LockfileEditor e = new LockfileEditor("distribution.yaml", original);
    e.setSourceDigest("cert-manager", D1);          // helm, no digest yet
    e.setSourceDigest("volcano", D2);               // helm, digest present: replaced
    e.setSourceDigest("feast-operator", D1);        // manifest
    e.setSourceDigest("katib", D2);                 // kustomize
    e.setSubchartDigest("kubeflow-trainer", "jobset", D1);
    Distribution d = DistributionLoader.parse("edited.yaml", e.text());
    assertThat(d.component("cert-manager").orElseThrow().source().digest()).isEqualTo(D1);
    assertThat(d.component("volcano").orElseThrow().source().digest()).isEqualTo(D2);
    assertThat(d.component("feast-operator").orElseThrow().source().digest()).isEqualTo(D1);
    assertThat(d.component("katib").orElseThrow().source().digest()).isEqualTo(D2);
    assertThat(d.component("kubeflow-trainer").orElseThrow().subcharts().get(0).digest()).isEqualTo(D1);
    assertThat(d.component("kubeflow-trainer").orElseThrow().subcharts().get(1).digest()).isNull();
    // everything else is untouched: comments kept, only digest lines added or changed
    assertThat(e.text()).contains("# cnai distribution 2026.11").contains("# 1.15.1 is the newest release");
    long changed = e.text().lines().filter(l -> !original.contains(l)).count();
    assertThat(changed).isEqualTo(5);
    assertThat(e.text().lines().count()).isEqualTo(original.lines().count() + 4);
  }

  @Test
  void editsFlowMappings() {
    String text = """
        apiVersion: distro.cnai.io/v1alpha1
        kind: Distribution
        metadata: {name: t, version: "2026.11"}
        spec:
          components:
            - name: a
              namespace: a
              source: {helm: {repository: https://x.test/charts, chart: a, version: 1.0.0}}
              subcharts:
                - {name: s, repository: https://x.test/charts, version: 1.0.0}
              signature: {chart: {type: none, reason: r}, images: {type: none, reason: r}}
        """;
    LockfileEditor e = new LockfileEditor("t.yaml", text);
    e.setSourceDigest("a", D1);
    e.setSubchartDigest("a", "s", D2);
    e.setSourceDigest("a", D2);
    Distribution d = DistributionLoader.parse("t.yaml", e.text());
    assertThat(d.components().get(0).source().digest()).isEqualTo(D2);
    assertThat(d.components().get(0).subcharts().get(0).digest()).isEqualTo(D2);
  }
}
