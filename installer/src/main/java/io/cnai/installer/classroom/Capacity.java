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

  /** What a student takes out of the cluster's capacity when the class is checked. */
  public enum Fit {
    /** Their whole quota's requests, beside a reserve for the stack: nobody can be starved (the default). */
    QUOTA,
    /**
     * Only their JupyterLab server's requests ({@link Manifests#SERVER_CPU_MILLIS}, {@link
     * Manifests#SERVER_MEMORY_MIB}), with no reserve: a laptop classroom whose students mostly sit in
     * notebooks; what they start beyond the server competes for what is left.
     */
    SERVERS;

    public static Fit parse(String text) {
      return switch (text) {
        case "quota" -> QUOTA;
        case "servers" -> SERVERS;
        default -> throw CnaiException.badInput("--fit '" + text + "' is not known",
            "write quota (each student's whole budget must fit) or servers (only their JupyterLab servers must)");
      };
    }
  }

  /** Refuses the class (BAD_INPUT) when it does not fit; {@code source} names the input ("--students 40", a file). */
  public static void check(List<Student> students, ClusterFacts facts, String source) {
    check(students, facts, source, Fit.QUOTA);
  }

  /** Refuses the class (BAD_INPUT) when it does not fit, counting each student as {@code fit} says. */
  public static void check(List<Student> students, ClusterFacts facts, String source, Fit fit) {
    if (fit == Fit.SERVERS) {
      checkServers(students, facts, source);
      return;
    }
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

  private static void checkServers(List<Student> students, ClusterFacts facts, String source) {
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
    long needCpu = students.size() * Manifests.SERVER_CPU_MILLIS;
    long needMem = students.size() * Manifests.SERVER_MEMORY_MIB;
    if (needCpu > cpu || needMem > mem) {
      long fit = Math.min(cpu / Manifests.SERVER_CPU_MILLIS, mem / Manifests.SERVER_MEMORY_MIB);
      throw CnaiException.badInput(source + ": " + String.format(Locale.ROOT,
              "too many students for this cluster: %d JupyterLab servers request %s CPUs and %s GiB of memory, but its %d Ready node(s) have %s CPUs and %s GiB allocatable",
              students.size(), cores(needCpu), gib(needMem), ready, cores(cpu), gib(mem)),
          "fewer students (at most " + fit + " servers fit), or a cluster with more nodes; nothing was created");
    }
  }

  private static String cores(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  private static String gib(long mib) {
    return mib % 1024 == 0 ? Long.toString(mib / 1024) : String.format(Locale.ROOT, "%.1f", mib / 1024.0);
  }
}
