package io.cnai.installer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.installer.cli.CnaiRoot;
import io.cnai.profiles.ProfileLoader;
import io.cnai.profiles.ProfileResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planner's own canonical JSON writer must give exactly the bytes a JSON library sorting keys
 * gives (what earlier cnai versions wrote): plan digests and values digests are stored in clusters,
 * and a different byte would read as drift. Jackson stands as the reference here, in the test only.
 */
class CanonicalTest {
  static final ObjectMapper REFERENCE = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .build();

  record Inner(String zeta, int alpha, List<Object> list) {}

  record Outer(Inner inner, Map<String, Object> values, Double ratio, boolean on, Long big) {}

  @Test
  void scalarsMapsListsAndRecordsAreWrittenAsTheReferenceWritesThem() throws Exception {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("z", "last");
    values.put("a", List.of(1, 2.5, -3L, true, "x"));
    values.put("escapes", "quote \" backslash \\ newline \n tab \t cr \r bell \u0007 del \u007f unicode é 漢 \uD83D\uDE00 slash /");
    values.put("nested", Map.of("b", Map.of("d", 4, "c", 3), "a", List.of(Map.of("y", 1, "x", 2))));
    values.put("numbers", List.of(0.1, 1e21, 1.0E-7, 100.0, 123456789.125, Integer.MAX_VALUE, Long.MIN_VALUE));
    List<Object> withNull = new ArrayList<>();
    withNull.add(null);
    values.put("null", withNull);
    values.put("empty", Map.of());
    Outer o = new Outer(new Inner("z", 1, List.of("a", 2)), values, 0.75, true, 1L << 40);
    for (Object v : List.of(values, o, List.of(o, o), "plain", 42, 2.0)) {
      assertThat(Canonical.json(v)).isEqualTo(REFERENCE.writeValueAsString(v));
    }
  }

  @Test
  void everyProfilesPlanStampsAndValuesAreTheReferenceBytes() throws Exception {
    Distribution d = DistributionLoader.load(CnaiRoot.latestDistribution());
    var profiles = ProfileLoader.loadDirectory(CnaiRoot.profilesDir());
    int checked = 0;
    for (String name : profiles.keySet()) {
      var p = ProfileResolver.resolve(profiles, name, d);
      TargetFacts facts = Planner.assumedFacts(d, p, null);
      Plan plan = Planner.plan(d, p, facts, Map.of());
      assertThat(Canonical.json(facts)).isEqualTo(REFERENCE.writeValueAsString(facts));
      assertThat(Canonical.json(PlanView.of(plan, true))).isEqualTo(REFERENCE.writeValueAsString(PlanView.of(plan, true)));
      for (PlanStep s : plan.steps()) {
        assertThat(Canonical.json(s.values())).as(name + "/" + s.name()).isEqualTo(REFERENCE.writeValueAsString(s.values()));
        assertThat(Canonical.json(s.component().source())).isEqualTo(REFERENCE.writeValueAsString(s.component().source()));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
  }
}
