package io.cnai.installer.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MappersTest {
  @Test
  void anEmptyYamlValueIsNullAndAQuotedEmptyStringStaysOne() throws Exception {
    // shaped like the node exporter's probe in kube-prometheus-stack 88: 'httpHeaders:' and nothing
    String yaml = "httpGet:\n  httpHeaders:\n  path: /\n  scheme: ''\nannotations:\n    \nlabels: {a: b}\n";
    @SuppressWarnings("unchecked")
    Map<String, Object> m = Mappers.YAML.readValue(yaml, Map.class);
    assertThat((Map<String, Object>) m.get("httpGet")).containsEntry("httpHeaders", null).containsEntry("path", "/").containsEntry("scheme", "");
    assertThat(m).containsEntry("annotations", null);
  }
}
