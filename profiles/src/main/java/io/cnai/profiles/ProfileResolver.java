package io.cnai.profiles;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.Values;
import io.cnai.distro.Component;
import io.cnai.distro.Distribution;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Applies a profile's 'extends' chain, root first, and checks it against a distribution. */
public final class ProfileResolver {
  private ProfileResolver() {}

  public static ResolvedProfile resolve(Map<String, Profile> profiles, String name, Distribution distribution) {
    Profile leaf = profiles.get(name);
    if (leaf == null) {
      String near = Fields.closest(name, profiles.keySet());
      throw CnaiException.badInput(
          "unknown profile '" + name + "'",
          (near != null ? "did you mean '" + near + "'? " : "") + "known profiles: " + String.join(", ", profiles.keySet()));
    }
    List<Profile> chain = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    Profile p = leaf;
    while (p != null) {
      if (!seen.add(p.name())) {
        List<String> cycle = new ArrayList<>(seen);
        cycle.add(p.name());
        throw CnaiException.badInput(
            p.extendsLocation(),
            "profiles extend each other in a cycle: " + String.join(" -> ", cycle),
            "remove one 'extends' to break the cycle");
      }
      chain.add(p);
      if (p.extendsName() == null) {
        break;
      }
      Profile parent = profiles.get(p.extendsName());
      if (parent == null) {
        String near = Fields.closest(p.extendsName(), profiles.keySet());
        throw CnaiException.badInput(
            p.extendsLocation(),
            "profile '" + p.name() + "' extends '" + p.extendsName() + "', which does not exist",
            near != null ? "did you mean '" + near + "'?" : "known profiles: " + String.join(", ", profiles.keySet()));
      }
      p = parent;
    }
    Collections.reverse(chain);

    Set<String> known = new TreeSet<>(distribution.componentNames());
    Set<String> enabled = new LinkedHashSet<>(distribution.componentNames());
    Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    Profile.Requirements req = Profile.Requirements.none();
    Profile.GpuSharing gpu = null;
    Profile.Cloud cloud = null;
    for (Profile step : chain) {
      for (Map.Entry<String, Profile.ComponentSettings> e : step.components().entrySet()) {
        if (!known.contains(e.getKey())) {
          String near = Fields.closest(e.getKey(), known);
          throw CnaiException.badInput(
              e.getValue().location(),
              "profile '" + step.name() + "' configures '" + e.getKey() + "', which is not a component of distribution " + distribution.version(),
              near != null ? "did you mean '" + near + "'?" : "known components: " + String.join(", ", known));
        }
        Profile.ComponentSettings s = e.getValue();
        if (s.enabled() != null) {
          if (s.enabled()) {
            enabled.add(e.getKey());
          } else {
            enabled.remove(e.getKey());
          }
        }
        if (!s.values().isEmpty()) {
          values.put(e.getKey(), Values.merge(values.getOrDefault(e.getKey(), Map.of()), s.values()));
        }
      }
      req = overlay(req, step.requirements());
      gpu = step.gpu() != null ? step.gpu() : gpu;
      cloud = step.cloud() != null ? step.cloud() : cloud;
    }
    // keep distribution order for determinism
    Set<String> ordered = new LinkedHashSet<>();
    for (Component c : distribution.components()) {
      if (enabled.contains(c.name())) {
        ordered.add(c.name());
      }
    }
    if (ordered.isEmpty()) {
      throw CnaiException.badInput(leaf.location(), "profile '" + name + "' disables every component", "enable at least one component");
    }
    return new ResolvedProfile(name, chain.stream().map(Profile::name).toList(), ordered, values, req, gpu, cloud);
  }

  private static Profile.Requirements overlay(Profile.Requirements a, Profile.Requirements b) {
    return new Profile.Requirements(
        b.kubernetesMin() != null ? b.kubernetesMin() : a.kubernetesMin(),
        b.kubernetesMax() != null ? b.kubernetesMax() : a.kubernetesMax(),
        b.cpu() != null ? b.cpu() : a.cpu(),
        b.memoryBytes() != null ? b.memoryBytes() : a.memoryBytes(),
        b.memory() != null ? b.memory() : a.memory(),
        b.gpus() != null ? b.gpus() : a.gpus(),
        b.gpuProduct() != null ? b.gpuProduct() : a.gpuProduct(),
        b.storageClass() != null ? b.storageClass() : a.storageClass());
  }
}
