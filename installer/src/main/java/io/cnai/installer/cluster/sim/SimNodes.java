package io.cnai.installer.cluster.sim;

import io.cnai.installer.cluster.GpuProduct;
import io.cnai.installer.cluster.NodeTopology;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Node objects of a sim cluster. kwok takes over every node annotated
 * {@code kwok.x-k8s.io/node=fake} and plays its kubelet. GPU nodes carry {@code nvidia.com/gpu}
 * capacity, as NVIDIA's device plugin advertises it, and the labels NVIDIA GPU feature discovery
 * puts on real nodes.
 */
final class SimNodes {
  static final String KWOK_ANNOTATION = "kwok.x-k8s.io/node";
  static final String KWOK_VALUE = "fake";
  /** The driver and CUDA versions the simulated GPU nodes report. */
  static final String DRIVER_MAJOR = "580";

  static final String DRIVER_MINOR = "95";
  static final String DRIVER_REV = "05";
  static final String CUDA_RUNTIME_MAJOR = "13";
  static final String CUDA_RUNTIME_MINOR = "0";

  private SimNodes() {}

  static List<Node> nodes(String cluster, NodeTopology t, String kubeletVersion) {
    List<Node> out = new ArrayList<>();
    int index = 0;
    for (int i = 0; i < t.cpuNodes(); i++, index++) {
      out.add(node(cluster + "-cpu-" + i, index, 0, t.gpu(), kubeletVersion));
    }
    for (int i = 0; i < t.gpuNodes(); i++, index++) {
      out.add(node(cluster + "-gpu-" + i, index, t.gpusPerNode(), t.gpu(), kubeletVersion));
    }
    return out;
  }

  static Map<String, String> gpuLabels(GpuProduct gpu, int count) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("nvidia.com/gpu.present", "true");
    l.put("nvidia.com/gpu.product", gpu.product());
    l.put("nvidia.com/gpu.count", Integer.toString(count));
    l.put("nvidia.com/gpu.memory", Integer.toString(gpu.memoryMiB()));
    l.put("nvidia.com/gpu.family", gpu.family());
    l.put("nvidia.com/gpu.compute.major", Integer.toString(gpu.computeMajor()));
    l.put("nvidia.com/gpu.compute.minor", Integer.toString(gpu.computeMinor()));
    l.put("nvidia.com/gpu.replicas", "1");
    l.put("nvidia.com/gpu.sharing-strategy", "none");
    l.put("nvidia.com/gpu.machine", "cnai-sim");
    l.put("nvidia.com/gpu.mode", "compute");
    l.put("nvidia.com/cuda.driver.major", DRIVER_MAJOR);
    l.put("nvidia.com/cuda.driver.minor", DRIVER_MINOR);
    l.put("nvidia.com/cuda.driver.rev", DRIVER_REV);
    l.put("nvidia.com/cuda.driver-version.major", DRIVER_MAJOR);
    l.put("nvidia.com/cuda.driver-version.minor", DRIVER_MINOR);
    l.put("nvidia.com/cuda.driver-version.revision", DRIVER_REV);
    l.put("nvidia.com/cuda.driver-version.full", DRIVER_MAJOR + "." + DRIVER_MINOR + "." + DRIVER_REV);
    l.put("nvidia.com/cuda.runtime.major", CUDA_RUNTIME_MAJOR);
    l.put("nvidia.com/cuda.runtime.minor", CUDA_RUNTIME_MINOR);
    l.put("nvidia.com/cuda.runtime-version.major", CUDA_RUNTIME_MAJOR);
    l.put("nvidia.com/cuda.runtime-version.minor", CUDA_RUNTIME_MINOR);
    l.put("nvidia.com/cuda.runtime-version.full", CUDA_RUNTIME_MAJOR + "." + CUDA_RUNTIME_MINOR);
    boolean mig = gpu.computeMajor() >= 8 && gpu.memoryMiB() >= 40000;
    l.put("nvidia.com/mig.capable", Boolean.toString(mig));
    l.put("nvidia.com/mps.capable", "true");
    // what node feature discovery says about an NVIDIA PCI device
    l.put("feature.node.kubernetes.io/pci-10de.present", "true");
    return l;
  }

  /** 10.244.0.0/24, 10.244.1.0/24, ... 10.245.0.0/24 ...: one /24 per node. */
  static String podCidr(int index) {
    return "10." + (244 + index / 256) + "." + (index % 256) + ".0/24";
  }

  private static Node node(String name, int index, int gpus, GpuProduct gpu, String kubeletVersion) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("type", "kwok");
    labels.put("topology.kubernetes.io/region", "sim");
    labels.put("topology.kubernetes.io/zone", "sim-" + (char) ('a' + index % 3));
    labels.put("node.kubernetes.io/instance-type", gpus > 0 ? "sim-gpu-" + gpus : "sim-cpu");
    if (gpus > 0) {
      labels.putAll(gpuLabels(gpu, gpus));
    }
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(gpus > 0 ? "96" : "32"));
    capacity.put("memory", new Quantity(gpus > 0 ? "1Ti" : "128Gi"));
    capacity.put("pods", new Quantity("110"));
    capacity.put("ephemeral-storage", new Quantity("1Ti"));
    if (gpus > 0) {
      capacity.put(io.cnai.installer.kube.ClusterFacts.GPU_RESOURCE, new Quantity(Integer.toString(gpus)));
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .withAnnotations(Map.of(KWOK_ANNOTATION, KWOK_VALUE, "node.alpha.kubernetes.io/ttl", "0"))
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(podCidr(index))
        .withPodCIDRs(podCidr(index))
        .endSpec()
        .withNewStatus()
        .withPhase("Pending")
        .withCapacity(capacity)
        .withAllocatable(new LinkedHashMap<>(capacity))
        .withNewNodeInfo()
        .withKubeletVersion(kubeletVersion)
        .withArchitecture("amd64")
        .withOperatingSystem("linux")
        .endNodeInfo()
        .endStatus()
        .build();
  }
}
