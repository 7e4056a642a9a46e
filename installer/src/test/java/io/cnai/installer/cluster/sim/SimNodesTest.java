package io.cnai.installer.cluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeTopology;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimNodesTest {
  @Test
  void gpuNodesCarryCapacityAndDiscoveryLabels() {
    List<Node> nodes =
        SimNodes.nodes("c", new NodeTopology(3, 2, 4, GpuProduct.of("NVIDIA-A100-SXM4-80GB")), "v1.37.2");
    assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactly("c-cpu-0", "c-gpu-0", "c-gpu-1");
    Node cpu = nodes.get(0);
    Node gpu = nodes.get(1);
    assertThat(cpu.getStatus().getCapacity()).doesNotContainKey("nvidia.com/gpu");
    assertThat(cpu.getMetadata().getLabels()).doesNotContainKey("nvidia.com/gpu.present");
    assertThat(gpu.getStatus().getAllocatable().get("nvidia.com/gpu").toString()).isEqualTo("4");
    assertThat(gpu.getMetadata().getLabels())
        .containsEntry("nvidia.com/gpu.present", "true")
        .containsEntry("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB")
        .containsEntry("nvidia.com/gpu.count", "4")
        .containsEntry("nvidia.com/gpu.memory", "81920")
        .containsEntry("nvidia.com/gpu.family", "ampere")
        .containsEntry("nvidia.com/cuda.driver.major", SimNodes.DRIVER_MAJOR);
    assertThat(gpu.getMetadata().getAnnotations()).containsEntry("kwok.x-k8s.io/node", "fake");
    assertThat(nodes).extracting(n -> n.getSpec().getPodCIDR()).doesNotHaveDuplicates();
  }

  @Test
  void podCidrsStayValidForManyNodes() {
    assertThat(SimNodes.podCidr(0)).isEqualTo("10.244.0.0/24");
    assertThat(SimNodes.podCidr(255)).isEqualTo("10.244.255.0/24");
    assertThat(SimNodes.podCidr(256)).isEqualTo("10.245.0.0/24");
  }
}
