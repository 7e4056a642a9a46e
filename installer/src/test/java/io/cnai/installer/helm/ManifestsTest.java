package io.cnai.installer.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.kube.Applier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {
  @Test
  void aBlockScalarThatEndsADocumentKeepsItsFinalNewline() {
    String stream = """
        ---
        # Source: certs/templates/config.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: first
        data:
          controller.conf: |
            leader-elect=true
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: second
        data:
          last.conf: |
            a=1
        """;
    List<Manifest> objects = Manifests.split(stream, "test");
    assertThat(objects).extracting(Manifest::name).containsExactly("first", "second");
    Map<String, Object> first = Applier.parse(objects.get(0).yaml()).get("data");
    Map<String, Object> second = Applier.parse(objects.get(1).yaml()).get("data");
    assertThat(first).containsEntry("controller.conf", "leader-elect=true\n");
    assertThat(second).containsEntry("last.conf", "a=1\n");
  }

  @Test
  void emptyDocumentsAndCommentsOnlyAreLeftOut() {
    assertThat(Manifests.split("---\n# nothing\n---\n\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", "test"))
        .extracting(Manifest::id).containsExactly("Namespace/x");
  }
}
