package io.cnai.installer.cluster.sim;

import io.cnai.core.CnaiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the sim cluster's binaries are: {@code <tools>/<name>/<version>/<name>}, as
 * installer/tools/build-sim.sh leaves them. {@code <tools>} is $CNAI_TOOLS or
 * ~/.cache/cnai/tools.
 */
public record SimBinaries(Path tools) {
  public static final String BUILD_HINT = "run installer/tools/build-sim.sh";

  public static SimBinaries fromEnvironment() {
    return new SimBinaries(defaultTools(System.getenv()));
  }

  static Path defaultTools(Map<String, String> env) {
    String t = env.get("CNAI_TOOLS");
    if (t != null && !t.isBlank()) {
      return Path.of(t);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "cnai", "tools");
  }

  public Path etcd() {
    return path("etcd", SimVersions.ETCD);
  }

  public Path apiserver() {
    return path("kube-apiserver", SimVersions.KUBERNETES);
  }

  public Path controllerManager() {
    return path("kube-controller-manager", SimVersions.KUBERNETES);
  }

  public Path scheduler() {
    return path("kube-scheduler", SimVersions.KUBERNETES);
  }

  public Path kubectl() {
    return path("kubectl", SimVersions.KUBERNETES);
  }

  public Path kwok() {
    return path("kwok", SimVersions.KWOK);
  }

  private Path path(String name, String version) {
    return tools.resolve(name).resolve(version).resolve(name);
  }

  /** The binaries that are not there (empty when all are). */
  public List<Path> missing() {
    List<Path> out = new ArrayList<>();
    for (Path p : List.of(etcd(), apiserver(), controllerManager(), scheduler(), kwok())) {
      if (!Files.isExecutable(p)) {
        out.add(p);
      }
    }
    return out;
  }

  public boolean present() {
    return missing().isEmpty();
  }

  /** Fails with a FAILURE that says how to build them when any is missing. */
  public SimBinaries requirePresent() {
    List<Path> missing = missing();
    if (!missing.isEmpty()) {
      throw CnaiException.failure(
          "the sim cluster's binaries are missing: " + missing,
          BUILD_HINT + " (it builds them from their Go modules into " + tools + ")");
    }
    return this;
  }
}
