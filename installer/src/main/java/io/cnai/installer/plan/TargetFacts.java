package io.cnai.installer.plan;

import io.cnai.distro.KubeVersion;
import java.util.List;

/**
 * What is known about the target cluster: read from a live cluster, or assumed from the profile
 * when planning offline ({@code source} says which). {@code simulated}: every node is played by
 * kwok (a cnai sim cluster: no container runs).
 */
public record TargetFacts(
    KubeVersion kubernetes,
    List<String> apiVersions,
    int nodes,
    double cpu,
    long memoryBytes,
    int gpus,
    String gpuProduct,
    List<String> storageClasses,
    String source,
    boolean simulated) {
  public TargetFacts {
    apiVersions = List.copyOf(apiVersions);
    storageClasses = List.copyOf(storageClasses);
  }

  /** Facts of a cluster whose nodes are not simulated, or assumed. */
  public TargetFacts(KubeVersion kubernetes, List<String> apiVersions, int nodes, double cpu, long memoryBytes, int gpus,
      String gpuProduct, List<String> storageClasses, String source) {
    this(kubernetes, apiVersions, nodes, cpu, memoryBytes, gpus, gpuProduct, storageClasses, source, false);
  }

  public static final String ASSUMED = "assumed from the profile";

  public boolean live() {
    return !ASSUMED.equals(source);
  }
}
