package io.cnai.installer.plan;

import io.cnai.distro.KubeVersion;
import java.util.List;

/**
 * What is known about the target cluster: read from a live cluster, or assumed from the profile
 * when planning offline ({@code source} says which).
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
    String source) {
  public TargetFacts {
    apiVersions = List.copyOf(apiVersions);
    storageClasses = List.copyOf(storageClasses);
  }

  public static final String ASSUMED = "assumed from the profile";

  public boolean live() {
    return !ASSUMED.equals(source);
  }
}
