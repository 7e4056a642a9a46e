package io.cnai.installer.cluster;

import io.cnai.core.CnaiException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a cluster's nodes pull images from: mirrors for named upstream registries
 * ({@code --registry-mirror}), and whether the cluster runs a registry of its own that answers for
 * {@link RegistryMirror#LOCAL_UPSTREAMS} ({@code --local-registry}). A mirror given for an upstream
 * wins over the local registry for that upstream.
 */
public record NodeRegistries(List<RegistryMirror> mirrors, boolean local) {
  public NodeRegistries {
    mirrors = List.copyOf(mirrors);
    Set<String> seen = new HashSet<>();
    for (RegistryMirror m : mirrors) {
      if (!seen.add(m.upstream())) {
        throw CnaiException.badInput("two registry mirrors for " + m.upstream(), "give one --registry-mirror per upstream registry");
      }
    }
  }

  public static NodeRegistries none() {
    return new NodeRegistries(List.of(), false);
  }

  public boolean isEmpty() {
    return mirrors.isEmpty() && !local;
  }
}
