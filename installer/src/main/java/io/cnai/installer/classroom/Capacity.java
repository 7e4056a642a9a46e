package io.cnai.installer.classroom;

import io.cnai.core.CnaiException;
import io.cnai.installer.kube.ClusterFacts;
import java.util.List;
import java.util.Locale;

/**
 * Whether the cluster can hold the students: the CPU and memory their quotas let them request, in
 * all, must fit in what the Ready nodes have allocatable, less a share kept for the stack itself
 * ({@link #STACK_CPU_MILLIS}, {@link #STACK_MEMORY_MIB}). A class that does not fit is refused
 * before anything is made, naming the first student who does not fit.
 */
public final class Capacity {
  /** What the classroom profile's components need (its requirements: 2 CPUs, 16Gi); kept free of students. */
  public static final long STACK_CPU_MILLIS = 2000;
  public static final long STACK_MEMORY_MIB = 16 * 1024;

  private Capacity() {}

  /** Refuses the class (BAD_INPUT) when it does not fit; {@code source} names the input ("--students 40", a file). */
  public static void check(List<Student> students, ClusterFacts facts, String source) {
    long cpu = 0;
    long mem = 0;
    int ready = 0;
    for (ClusterFacts.NodeFacts n : facts.nodes()) {
      if (n.ready()) {
        ready++;
        cpu += Math.round(n.cpuCores() * 1000);
        mem += n.memoryBytes() >> 20;
      }
    }
    long freeCpu = cpu - STACK_CPU_MILLIS;
    long freeMem = mem - STACK_MEMORY_MIB;
    long needCpu = 0;
    long needMem = 0;
    for (int i = 0; i < students.size(); i++) {
      Student s = students.get(i);
      needCpu += s.size().cpuMillis;
      needMem += s.size().memoryMib;
      if (needCpu > freeCpu || needMem > freeMem) {
        long totalCpu = students.stream().mapToLong(x -> x.size().cpuMillis).sum();
        long totalMem = students.stream().mapToLong(x -> x.size().memoryMib).sum();
        String what = String.format(Locale.ROOT,
            "too many students for this cluster: %d students ask for %s CPUs and %s GiB of memory, but its %d Ready node(s) have %s CPUs and %s GiB allocatable, %s CPUs and %s GiB kept for the stack; student '%s' (number %d) is the first who does not fit",
            students.size(), cores(totalCpu), gib(totalMem), ready, cores(cpu), gib(mem), cores(STACK_CPU_MILLIS), gib(STACK_MEMORY_MIB), s.name(), i + 1);
        String hint = "use a smaller --size (or smaller sizes in the roster), fewer students (at most " + i
            + " fit as given), or a cluster with more nodes; nothing was created";
        throw s.where() != null ? CnaiException.badInput(s.where(), what, hint) : CnaiException.badInput(source + ": " + what, hint);
      }
    }
  }

  private static String cores(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  private static String gib(long mib) {
    return mib % 1024 == 0 ? Long.toString(mib / 1024) : String.format(Locale.ROOT, "%.1f", mib / 1024.0);
  }
}
