package io.cnai.installer.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverridesTest {
  static Map<String, Object> set(String s) {
    return Overrides.SetParser.parse(s);
  }

  @Test
  void parsesHelmSetSyntax() {
    assertThat(set("a.b=c")).isEqualTo(Map.of("a", Map.of("b", "c")));
    assertThat(set("a.n=2,a.t=true,a.f=false,a.s=0x1")).isEqualTo(Map.of("a", Map.of("n", 2L, "t", true, "f", false, "s", "0x1")));
    assertThat(set("a.list={x,y,3}")).isEqualTo(Map.of("a", Map.of("list", List.of("x", "y", 3L))));
    assertThat(set("a.items[1].name=z")).isEqualTo(Map.of("a", Map.of("items", Arrays.asList(null, Map.of("name", "z")))));
    assertThat(set("a.key\\.with\\.dots=v")).isEqualTo(Map.of("a", Map.of("key.with.dots", "v")));
    assertThat(set("a.csv=one\\,two")).isEqualTo(Map.of("a", Map.of("csv", "one,two")));
    assertThat(set("a.empty=")).isEqualTo(Map.of("a", Map.of("empty", "")));
  }

  @Test
  void laterSetsWinAndFilesComeFirst(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("v.yaml");
    Files.writeString(f, "kueue:\n  replicas: 1\n  keep: yes-kept\n");
    Map<String, Map<String, Object>> o = Overrides.parse(List.of(f), List.of("kueue.replicas=3"));
    assertThat(o.get("kueue")).containsEntry("replicas", 3L).containsEntry("keep", "yes-kept");
  }

  @Test
  void refusesBadSetExpressions() {
    assertThatThrownBy(() -> set("novalue")).isInstanceOf(CnaiException.class).hasMessageContaining("is not key=value");
    assertThatThrownBy(() -> set("a..b=1")).hasMessageContaining("empty key segment");
    assertThatThrownBy(() -> set("a.b[x]=1")).hasMessageContaining("bad list index [x]");
    assertThatThrownBy(() -> Overrides.parse(List.of(), List.of("kueue=3"))).hasMessageContaining("sets a whole component");
  }

  @Test
  void refusesValuesFilesThatAreNotKeyedByComponent(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("v.yaml");
    Files.writeString(f, "replicas: 2\n");
    assertThatThrownBy(() -> Overrides.parse(List.of(f), List.of()))
        .isInstanceOf(CnaiException.class)
        .hasMessageContaining(f + ":1:1: values for component 'replicas' must be a mapping");
    assertThatThrownBy(() -> Overrides.parse(List.of(dir.resolve("missing.yaml")), List.of())).hasMessageContaining("file not found");
  }
}
