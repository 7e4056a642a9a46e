package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.distro.DistributionLoader;
import io.cnai.installer.charts.LocalChartRepository;
import io.cnai.installer.charts.TestCharts;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.Planner;
import io.cnai.installer.render.StackRenderer;
import io.cnai.installer.testing.TestStack;
import io.cnai.profiles.ProfileLoader;
import io.cnai.profiles.ProfileResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which CRD-only templates cnai may leave out of the chart Helm installs is decided by rendering
 * the chart without them, never from template text: a CRD whose description says "define" (as
 * Kueue's and Trainer's do) is left out; a template that really defines a named template the
 * chart's other templates include stays.
 */
class DroppableTemplatesTest {
  @TempDir Path tmp;

  @Test
  void renderingWithoutTheTemplatesDecides() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path worded = TestCharts.copy("queues", src.resolve("worded"));
    Path crd = worded.resolve("templates/crd/clusterqueues.yaml");
    Files.writeString(crd, Files.readString(crd).replace("type: object\n",
        "type: object\n          description: ClusterQueues define quotas; define one per team.\n"));
    Path named = TestCharts.withVersion(TestCharts.copy("queues", src.resolve("named")), "0.9.3");
    Path workloads = named.resolve("templates/crd/workloads.yaml");
    Files.writeString(workloads, "{{- define \"queues.managerName\" }}{{ .Release.Name }}-controller-manager{{- end }}\n"
        + Files.readString(workloads));
    Path manager = named.resolve("templates/manager.yaml");
    Files.writeString(manager, Files.readString(manager).replace("name: {{ .Release.Name }}-controller-manager",
        "name: {{ include \"queues.managerName\" . }}"));

    try (LocalChartRepository repo = LocalChartRepository.start()) {
      TestStack s = TestStack.builder(repo, tmp.resolve("stack"))
          .chart("worded", "worded", "worded", worded, true, "")
          .chart("named", "named", "named", named, true, "")
          .release("v1", "2026.11", "worded", "named").build();
      var d = DistributionLoader.load(s.distribution("v1"));
      var profile = ProfileResolver.resolve(ProfileLoader.loadDirectory(s.profiles), "test", d);
      Plan plan = Planner.plan(d, profile, Planner.assumedFacts(d, profile, null), Map.of());
      StackRenderer renderer = TestStack.lifecycle(tmp.resolve("cache"), Progress.silent()).renderer();
      var fetched = renderer.fetchAll(plan);
      var stack = renderer.render(plan);
      Map<String, Set<String>> droppable = new java.util.TreeMap<>();
      for (int i = 0; i < stack.components().size(); i++) {
        var c = stack.components().get(i);
        var f = fetched.get(i);
        assertThat(Ownership.crdOnlyTemplates(c.rendered())).as(c.step().name()).hasSize(3);
        droppable.put(c.step().name(), Ownership.droppable(renderer, plan, c.step(), c.rendered(), f.chart().archive(),
            f.subcharts().stream().map(x -> x.archive()).toList()));
      }
      assertThat(droppable.get("worded")).containsExactlyInAnyOrder("templates/crd/clusterqueues.yaml",
          "templates/crd/localqueues.yaml", "templates/crd/workloads.yaml");
      assertThat(droppable.get("named")).as("its CRD template defines what manager.yaml includes").isEmpty();
    }
  }
}
