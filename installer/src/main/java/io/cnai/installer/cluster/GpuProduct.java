package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A GPU model as NVIDIA GPU feature discovery describes it on a node: product name, memory in MiB,
 * architecture family and CUDA compute capability.
 */
public record GpuProduct(
    String product, int memoryMiB, String family, int computeMajor, int computeMinor) {

  public static final String DEFAULT = "NVIDIA-H100-80GB-HBM3";

  private static final List<GpuProduct> KNOWN =
      List.of(
          new GpuProduct("NVIDIA-H100-80GB-HBM3", 81559, "hopper", 9, 0),
          new GpuProduct("NVIDIA-H200", 143771, "hopper", 9, 0),
          new GpuProduct("NVIDIA-A100-SXM4-80GB", 81920, "ampere", 8, 0),
          new GpuProduct("NVIDIA-A100-SXM4-40GB", 40960, "ampere", 8, 0),
          new GpuProduct("NVIDIA-A10G", 23028, "ampere", 8, 6),
          new GpuProduct("NVIDIA-L4", 23034, "ada-lovelace", 8, 9),
          new GpuProduct("NVIDIA-L40S", 46068, "ada-lovelace", 8, 9),
          new GpuProduct("Tesla-T4", 15360, "turing", 7, 5),
          new GpuProduct("NVIDIA-B200", 183359, "blackwell", 10, 0));

  public GpuProduct {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(family, "family");
  }

  public static List<GpuProduct> known() {
    return KNOWN;
  }

  /** The known product of that name (as on the {@code nvidia.com/gpu.product} label). */
  public static GpuProduct of(String product) {
    return KNOWN.stream()
        .filter(p -> p.product().equalsIgnoreCase(product))
        .findFirst()
        .orElseThrow(
            () ->
                CnaiException.badInput(
                    "unknown GPU product '" + product + "'",
                    "use one of "
                        + KNOWN.stream().map(GpuProduct::product).collect(Collectors.joining(", "))));
  }
}
