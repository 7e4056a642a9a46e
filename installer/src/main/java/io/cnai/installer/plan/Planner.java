package io.cnai.installer.plan;

import io.cnai.core.CnaiException;
import io.cnai.core.Values;
import io.cnai.distro.Component;
import io.cnai.distro.Distribution;
import io.cnai.distro.KubeVersion;
import io.cnai.profiles.Profile;
import io.cnai.profiles.ResolvedProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Distribution + profile + target facts + overrides -> a {@link Plan}. Pure and deterministic: the
 * same inputs give the same plan and the same digest.
 */
public final class Planner {
  private Planner() {}

  /** Facts assumed when no cluster is given: the profile's minimum version and sizes. */
  public static TargetFacts assumedFacts(Distribution d, ResolvedProfile p, KubeVersion kubeVersion) {
    Profile.Requirements r = p.requirements();
    KubeVersion v = kubeVersion;
    if (v == null) {
      v = r.kubernetesMin() != null ? r.kubernetesMin() : d.minKubernetes();
    }
    if (v == null) {
      v = new KubeVersion(1, 35, 0);
    }
    return new TargetFacts(
        v,
        List.of(),
        1,
        r.cpu() == null ? 0 : r.cpu(),
        r.memoryBytes() == null ? 0 : r.memoryBytes(),
        r.gpus() == null ? 0 : r.gpus(),
        r.gpuProduct(),
        r.storageClass() == null ? List.of() : List.of(r.storageClass()),
        TargetFacts.ASSUMED);
  }

  public static Plan plan(
      Distribution d, ResolvedProfile p, TargetFacts target, Map<String, Map<String, Object>> overrides) {
    return plan(d, p, target, overrides, PlanPolicy.STRICT);
  }

  /**
   * As {@link #plan(Distribution, ResolvedProfile, TargetFacts, Map)}, with the checks
   * {@code policy} lets the user bypass; what was bypassed is a warning of the plan and part of its
   * digest.
   */
  public static Plan plan(
      Distribution d, ResolvedProfile p, TargetFacts target, Map<String, Map<String, Object>> overrides, PlanPolicy policy) {
    List<String> warnings = new ArrayList<>();
    checkTarget(d, p, target, policy, warnings);
    for (String name : overrides.keySet()) {
      if (d.component(name).isEmpty()) {
        throw CnaiException.badInput(
            "values given for '" + name + "', which is not a component of distribution " + d.version(),
            "known components: " + String.join(", ", d.componentNames()));
      }
      if (!p.enabled().contains(name)) {
        throw CnaiException.badInput(
            "values given for '" + name + "', which profile '" + p.name() + "' disables",
            "enable it in the profile or drop these values");
      }
    }

    Map<String, Component> enabled = new LinkedHashMap<>();
    for (Component c : d.components()) {
      if (p.enabled().contains(c.name())) {
        enabled.put(c.name(), c);
      }
    }
    Map<String, Set<String>> after = new LinkedHashMap<>();
    for (Component c : enabled.values()) {
      Set<String> deps = new LinkedHashSet<>();
      for (String dep : c.dependsOn()) {
        if (!enabled.containsKey(dep)) {
          throw CnaiException.badInput(
              "component '" + c.name() + "' depends on '" + dep + "', which profile '" + p.name() + "' disables",
              "enable '" + dep + "' in the profile, or disable '" + c.name() + "' too");
        }
        deps.add(dep);
      }
      for (String group : c.uses()) {
        List<String> providers = providers(d, group);
        List<String> on = providers.stream().filter(enabled::containsKey).filter(n -> !n.equals(c.name())).toList();
        if (on.isEmpty() && !providers.contains(c.name())) {
          throw CnaiException.badInput(
              "component '" + c.name() + "' uses the API group " + group + ", which no enabled component provides",
              providers.isEmpty()
                  ? "add a component that provides " + group + " to the distribution"
                  : "enable " + String.join(" or ", providers) + " in profile '" + p.name() + "'");
        }
        deps.addAll(on);
      }
      if (c.minKubernetes() != null && !target.kubernetes().atLeast(c.minKubernetes())) {
        throw CnaiException.badInput(
            "component '" + c.name() + "' needs Kubernetes " + c.minKubernetes() + " or newer; the target is " + target.kubernetes(),
            "use a newer cluster (--kube-version), or disable '" + c.name() + "' in the profile");
      }
      after.put(c.name(), deps);
    }

    List<String> unlocked = enabled.values().stream().filter(c -> !c.source().locked()).map(Component::name).toList();
    if (!unlocked.isEmpty()) {
      warnings.add(unlocked.size() + " of " + enabled.size() + " components are not locked yet (" + String.join(", ", unlocked)
          + "): their digests are recorded on first use; run 'cnai distro lock' online to pin them");
    }
    Map<String, Integer> wave = new HashMap<>();
    for (String name : enabled.keySet()) {
      waveOf(name, after, wave);
    }

    Map<String, Map<String, Object>> derived = derivedValues(p, enabled.keySet());
    List<PlanStep> steps = new ArrayList<>();
    for (Component c : enabled.values()) {
      Map<String, Object> v = Values.merge(c.values(), derived.getOrDefault(c.name(), Map.of()));
      v = Values.merge(v, p.values().getOrDefault(c.name(), Map.of()));
      v = Values.merge(v, overrides.getOrDefault(c.name(), Map.of()));
      steps.add(new PlanStep(c, wave.get(c.name()), List.copyOf(after.get(c.name())), v, Canonical.sha256(v)));
    }
    steps.sort((a, b) -> a.wave() != b.wave() ? Integer.compare(a.wave(), b.wave()) : 0);

    Map<String, Object> stamp = new LinkedHashMap<>();
    stamp.put("distribution", d.name() + "@" + d.version());
    stamp.put("profile", p.chain());
    stamp.put("target", target);
    if (policy.allowKubeVersion() != null) {
      // only when given, so that the digests of plans without an override stay what they were
      stamp.put("allowKubeVersion", policy.allowKubeVersion().minorLine());
    }
    List<Object> stepStamps = new ArrayList<>();
    for (PlanStep s : steps) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("wave", s.wave());
      m.put("after", s.after());
      m.put("namespace", s.component().namespace());
      m.put("source", s.component().source());
      m.put("subcharts", s.component().subcharts().stream().map(sc -> sc.name() + "@" + sc.version() + "#" + sc.digest()).toList());
      m.put("values", s.valuesDigest());
      stepStamps.add(m);
    }
    stamp.put("steps", stepStamps);
    return new Plan(d, p, target, steps, warnings, Canonical.sha256(stamp));
  }

  private static List<String> providers(Distribution d, String group) {
    List<String> out = new ArrayList<>();
    for (Component c : d.components()) {
      if (c.provides().crds().stream().anyMatch(g -> g.group().equals(group))) {
        out.add(c.name());
      }
    }
    return out;
  }

  private static int waveOf(String name, Map<String, Set<String>> after, Map<String, Integer> wave) {
    Integer w = wave.get(name);
    if (w != null) {
      return w;
    }
    int max = 0;
    for (String dep : after.get(name)) {
      max = Math.max(max, waveOf(dep, after, wave));
    }
    wave.put(name, max + 1);
    return max + 1;
  }

  private static void checkTarget(Distribution d, ResolvedProfile p, TargetFacts t, PlanPolicy policy, List<String> warnings) {
    KubeVersion v = t.kubernetes();
    String lvl = v.minorLine();
    List<String> outside = new ArrayList<>();
    if (d.minKubernetes() != null && cmpMinor(v, d.minKubernetes()) < 0) {
      outside.add("older than distribution " + d.version() + " supports (" + d.minKubernetes().minorLine() + " or newer)");
    }
    if (d.maxKubernetes() != null && cmpMinor(v, d.maxKubernetes()) > 0) {
      var tested = d.testedOn(v, t.simulated());
      if (tested.isPresent()) {
        warnings.add("Kubernetes " + lvl + " is past the range distribution " + d.version() + " supports (up to "
            + d.maxKubernetes().minorLine() + "); it was tested on " + tested.get());
      } else {
        outside.add("newer than distribution " + d.version() + " has been verified with (up to " + d.maxKubernetes().minorLine() + ")"
            + testedNote(d));
      }
    }
    Profile.Requirements r = p.requirements();
    if (r.kubernetesMin() != null && cmpMinor(v, r.kubernetesMin()) < 0) {
      outside.add("older than profile '" + p.name() + "' needs Kubernetes " + r.kubernetesMin().minorLine() + " or newer");
    }
    if (r.kubernetesMax() != null && cmpMinor(v, r.kubernetesMax()) > 0 && d.testedOn(v, t.simulated()).isEmpty()) {
      outside.add("newer than profile '" + p.name() + "' supports (up to " + r.kubernetesMax().minorLine() + ")");
    }
    if (!outside.isEmpty()) {
      if (policy.allows(v)) {
        warnings.add("Kubernetes " + lvl + " is " + String.join("; and ", outside)
            + ": planned anyway because of --allow-kube-version " + policy.allowKubeVersion().minorLine()
            + " (not verified: expect what this release was not tested with)");
      } else {
        String older = cmpMinor(v, d.minKubernetes() != null ? d.minKubernetes() : v) < 0 ? "a newer" : "a supported";
        throw CnaiException.badInput(
            "Kubernetes " + v + " is " + String.join("; and ", outside),
            "use " + older + " cluster version or another cnai distribution, or plan anyway at your own risk with --allow-kube-version " + lvl
                + (policy.allowKubeVersion() != null ? " (--allow-kube-version " + policy.allowKubeVersion().minorLine() + " names another version)" : ""));
      }
    } else if (policy.allowKubeVersion() != null) {
      warnings.add("--allow-kube-version " + policy.allowKubeVersion().minorLine() + " is not needed: Kubernetes " + lvl
          + " is within what distribution " + d.version() + " and profile '" + p.name() + "' support");
    }
    if (t.live()) {
      if (r.gpus() != null && r.gpus() > t.gpus()) {
        throw CnaiException.badInput(
            "profile '" + p.name() + "' needs " + r.gpus() + " GPUs; the cluster has " + t.gpus(),
            "add GPU nodes, or use a profile without GPUs (kind, laptop)");
      }
      if (r.cpu() != null && r.cpu() > t.cpu()) {
        throw CnaiException.badInput(
            "profile '" + p.name() + "' needs " + r.cpu() + " CPUs; the cluster has " + t.cpu(),
            "add nodes or use a smaller profile (laptop)");
      }
      if (r.memoryBytes() != null && r.memoryBytes() > t.memoryBytes()) {
        throw CnaiException.badInput(
            "profile '" + p.name() + "' needs " + r.memory() + " of memory; the cluster has " + (t.memoryBytes() >> 20) + "Mi",
            "add nodes or use a smaller profile (laptop)");
      }
      if (r.storageClass() != null && !t.storageClasses().contains(r.storageClass())) {
        throw CnaiException.badInput(
            "profile '" + p.name() + "' needs the storage class '" + r.storageClass() + "'; the cluster has " + t.storageClasses(),
            "create it or override the profile's storageClass");
      }
    }
  }

  private static String testedNote(Distribution d) {
    if (d.testedKubernetes().isEmpty()) {
      return "";
    }
    boolean sim = d.testedKubernetes().stream().anyMatch(t -> Distribution.TestedOn.SIM.equals(t.cluster()));
    return "; tested on " + String.join(", ", d.testedKubernetes().stream().map(Distribution.TestedOn::toString).toList())
        + (sim ? " (a test on sim stands for sim clusters only)" : "");
  }

  private static int cmpMinor(KubeVersion a, KubeVersion b) {
    return a.compareMinor(b);
  }

  /** Values that follow from the profile's GPU sharing and cloud settings. */
  static Map<String, Map<String, Object>> derivedValues(ResolvedProfile p, Set<String> enabled) {
    Map<String, Map<String, Object>> out = new HashMap<>();
    if (p.gpu() != null && enabled.contains("gpu-operator")) {
      Map<String, Object> v = new LinkedHashMap<>();
      switch (p.gpu().mode()) {
        case MIG -> v.put("mig", ordered("strategy", p.gpu().migStrategy()));
        case TIME_SLICING -> {
          String config =
              "version: v1\nsharing:\n  timeSlicing:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: "
                  + p.gpu().replicas()
                  + "\n";
          v.put("devicePlugin", ordered("config", ordered("create", true, "name", "cnai-time-slicing", "default", "any", "data", ordered("any", config))));
        }
        case EXCLUSIVE -> {}
      }
      if (!v.isEmpty()) {
        out.put("gpu-operator", v);
      }
    }
    if (p.cloud() != null && p.cloud().objectStorage() != null && enabled.contains("mlflow")) {
      Profile.ObjectStorage os = p.cloud().objectStorage();
      String scheme = switch (os.type()) {
        case "s3" -> "s3";
        case "gcs" -> "gs";
        default -> "wasbs";
      };
      out.put("mlflow", ordered("artifactRoot", ordered("defaultArtifactRoot", scheme + "://" + os.bucket() + "/mlflow")));
    }
    return out;
  }

  /** An insertion-ordered map from key, value pairs: output must not depend on hash order. */
  static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
