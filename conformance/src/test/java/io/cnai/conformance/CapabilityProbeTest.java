package io.cnai.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.revision.StackRevision;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilityProbeTest {
  static Node node(String name, boolean kwok, int gpus, boolean ready) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
        .withAnnotations(kwok ? Map.of(CapabilityProbe.KWOK_ANNOTATION, "fake") : Map.of()).endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .withAllocatable(gpus > 0 ? Map.of("cpu", new Quantity("8"), "nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
            : Map.of("cpu", new Quantity("8")))
        .endStatus();
    return b.build();
  }

  static StackRevision revision() {
    return new StackRevision(1, StackRevision.Action.INSTALL, StackRevision.Status.DEPLOYED, "cnai", "2026.11", "kind",
        "sha256:p", "sha256:v", Instant.EPOCH, Instant.EPOCH, List.of(), "", List.of());
  }

  @Test
  void simClusterWithKwokGpuNodesRunsNoContainersHasNoRealGpuAndNoStack() {
    Capabilities c = CapabilityProbe.of(
        List.of(node("cpu-0", true, 0, true), node("gpu-0", true, 8, true), node("gpu-1", true, 8, true)), Optional.empty());
    assertThat(c.has(Need.CONTAINERS)).isFalse();
    assertThat(c.has(Need.GPU)).isFalse();
    assertThat(c.has(Need.STACK)).isFalse();
    assertThat(c.whyNot(Need.CONTAINERS)).get().asString().contains("simulated by kwok");
    assertThat(c.whyNot(Need.GPU)).get().asString().contains("2 GPU nodes are simulated");
    assertThat(c.unmet(Set.of("@needs-stack")))
        .contains("not run: no cnai stack installed (no stack revision in cnai-system)");
  }

  @Test
  void realNodesWithGpusAndAStackMeetEveryNeed() {
    Capabilities c = CapabilityProbe.of(List.of(node("a", false, 0, true), node("b", false, 4, true)), Optional.of(revision()));
    for (Need n : Need.values()) {
      assertThat(c.has(n)).as(n.name()).isTrue();
    }
    assertThat(c.unmet(Set.of("@needs-containers", "@needs-gpu", "@needs-stack", "@MUST"))).isEmpty();
  }

  @Test
  void realGpuNodeThatIsNotReadyDoesNotCount() {
    Capabilities c = CapabilityProbe.of(List.of(node("a", false, 0, true), node("b", false, 4, false)), Optional.empty());
    assertThat(c.has(Need.CONTAINERS)).isTrue();
    assertThat(c.has(Need.GPU)).isFalse();
    assertThat(c.whyNot(Need.GPU)).get().asString().contains("no Ready node advertises an accelerator");
  }

  @Test
  void mixedClusterRunsContainersOnTheRealNodesButKwokGpusAreNotRealGpus() {
    Capabilities c = CapabilityProbe.of(List.of(node("real", false, 0, true), node("sim-gpu", true, 8, true)), Optional.empty());
    assertThat(c.has(Need.CONTAINERS)).isTrue();
    assertThat(c.has(Need.GPU)).isFalse();
    assertThat(c.has(Need.GPU_NODES)).as("simulated GPU nodes are enough to place GPU pods").isTrue();
  }

  /** A local cluster: real nodes, no GPU at all. GPU placement checks are not run there, not failed. */
  @Test
  void realNodesWithoutAnyGpuNodeHaveNothingToPlaceGpuPodsOn() {
    Capabilities c = CapabilityProbe.of(List.of(node("real", false, 0, true)), Optional.empty());
    assertThat(c.has(Need.CONTAINERS)).isTrue();
    assertThat(c.has(Need.GPU_NODES)).isFalse();
    assertThat(Need.GPU_NODES.tag()).isEqualTo("@needs-gpu-nodes");
    assertThat(c.unmet(Set.of("@needs-gpu-nodes"))).get().asString().contains("nothing to place a GPU pod on");
  }

  @Test
  void scenarioWithoutNeedsAlwaysRunsAndSeveralUnmetNeedsAreAllNamed() {
    Capabilities none = Capabilities.builder().lacks(Need.CONTAINERS, "c").lacks(Need.GPU, "g").lacks(Need.STACK, "s").build();
    assertThat(none.unmet(Set.of("@MUST", "@secure_accelerator_access"))).isEmpty();
    assertThat(none.unmet(Set.of("@needs-gpu", "@needs-containers"))).contains("not run: c; g");
    assertThat(none.unmet(Set.of("@needs-gpu"))).contains("not run: g");
  }
}
