package io.cnai.profiles;

import io.cnai.core.Location;
import io.cnai.distro.KubeVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One profile file as written: how the distribution is shaped for one kind of target. */
public record Profile(
    String name,
    String description,
    String extendsName,
    Location extendsLocation,
    Map<String, ComponentSettings> components,
    Requirements requirements,
    GpuSharing gpu,
    Cloud cloud,
    Path file,
    Location location) {

  public static final String API_VERSION = "cnai.io/v1alpha1";
  public static final String KIND = "Profile";

  /** enabled == null means "as the parent profile says". */
  public record ComponentSettings(Boolean enabled, Map<String, Object> values, Location location) {}

  /** What the target must have. Every field may be null (not stated). */
  public record Requirements(
      KubeVersion kubernetesMin,
      KubeVersion kubernetesMax,
      Double cpu,
      Long memoryBytes,
      String memory,
      Integer gpus,
      String gpuProduct,
      String storageClass) {
    public static Requirements none() {
      return new Requirements(null, null, null, null, null, null, null, null);
    }
  }

  /** How GPUs are shared between pods. */
  public record GpuSharing(Mode mode, Integer replicas, String migStrategy) {
    public enum Mode {
      EXCLUSIVE("exclusive"),
      TIME_SLICING("time-slicing"),
      MIG("mig");

      public final String word;

      Mode(String word) {
        this.word = word;
      }
    }
  }

  /** Cloud specifics. */
  public record Cloud(
      String provider,
      String loadBalancerClass,
      Map<String, Object> loadBalancerAnnotations,
      ObjectStorage objectStorage,
      List<GpuNodePool> gpuNodePools) {}

  public record ObjectStorage(String type, String bucket, String region) {}

  public record GpuNodePool(String name, String instanceType, int gpusPerNode, String gpuProduct, int min, int max) {}
}
