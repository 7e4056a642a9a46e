package io.cnai.installer.classroom;

import java.util.Locale;
import java.util.Optional;

/**
 * How much of the cluster one student gets: the ResourceQuota of their namespace (requests and
 * limits), the LimitRange defaults of a container that says nothing, and one time-sliced GPU share.
 * The presets follow the budgets workshop platforms use (small 1 CPU / 1Gi, medium 2 / 2Gi, large
 * 4 / 4Gi).
 */
public enum Size {
  SMALL(1000, 1024, "50m", "128Mi", "250m", "256Mi"),
  MEDIUM(2000, 2048, "100m", "256Mi", "500m", "512Mi"),
  LARGE(4000, 4096, "250m", "512Mi", "1", "1Gi");

  /** CPU the student's pods may request in all, in millicores (limits: twice that). */
  public final int cpuMillis;
  /** Memory the student's pods may request in all, in MiB (limits: twice that). */
  public final int memoryMib;
  public final String defaultRequestCpu;
  public final String defaultRequestMemory;
  public final String defaultLimitCpu;
  public final String defaultLimitMemory;

  Size(int cpuMillis, int memoryMib, String reqCpu, String reqMem, String limCpu, String limMem) {
    this.cpuMillis = cpuMillis;
    this.memoryMib = memoryMib;
    this.defaultRequestCpu = reqCpu;
    this.defaultRequestMemory = reqMem;
    this.defaultLimitCpu = limCpu;
    this.defaultLimitMemory = limMem;
  }

  /** The lowercase name, as written in rosters and flags. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Size> parse(String text) {
    for (Size s : values()) {
      if (s.id().equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public static String choices() {
    return "small, medium or large";
  }
}
