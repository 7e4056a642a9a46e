package io.cnai.profiles;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.Location;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import io.cnai.distro.DistributionLoader;
import io.cnai.distro.KubeVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads profile files strictly, with the same rules as the distribution lockfile. */
public final class ProfileLoader {
  private static final Pattern CPU = Pattern.compile("^(\\d+(?:\\.\\d+)?)(m?)$");
  private static final Pattern MEMORY = Pattern.compile("^(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$");

  private ProfileLoader() {}

  /** Every profile in a directory: one '*.yaml' file each, named after the profile. */
  public static Map<String, Profile> loadDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw CnaiException.badInput(
          new Location(dir.toString(), 0, 0), "profiles directory not found", "pass --profiles-dir DIR");
    }
    Map<String, Profile> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
        Profile p = load(f);
        String expected = f.getFileName().toString().replaceFirst("\\.yaml$", "");
        if (!p.name().equals(expected)) {
          throw CnaiException.badInput(
              p.location(),
              "profile '" + p.name() + "' is in a file named " + f.getFileName(),
              "rename the file to " + p.name() + ".yaml or change metadata.name to '" + expected + "'");
        }
        out.put(p.name(), p);
      }
    } catch (IOException e) {
      throw CnaiException.failure("cannot list profiles in " + dir + ": " + e.getMessage(), "check the directory");
    }
    return out;
  }

  public static Profile load(Path file) {
    return read(file, Yaml.read(file));
  }

  public static Profile parse(String name, String text) {
    return read(Path.of(name), Yaml.parse(name, text));
  }

  static Profile read(Path file, YNode root) {
    Fields top = Fields.of(root, "profile");
    DistributionLoader.checkHeader(top, Profile.API_VERSION, Profile.KIND);
    Fields meta = Fields.of(top.required("metadata"), "metadata");
    String name = meta.string("name", DistributionLoader.NAME, "a lowercase profile name (letters, digits, '-')");
    String description = meta.optString("description").orElse("");
    meta.done();
    Fields spec = Fields.of(top.optional("spec").orElseGet(() -> new YNode.YMap(root.location(), Map.of())), "spec");
    String ext = spec.optString("extends", DistributionLoader.NAME, "the name of another profile").orElse(null);
    Location extLoc = spec.keyLocation("extends");
    if (name.equals(ext)) {
      throw CnaiException.badInput(extLoc, "profile '" + name + "' extends itself", "extend another profile, or remove 'extends'");
    }
    Map<String, Profile.ComponentSettings> components = new LinkedHashMap<>();
    spec.optional("components")
        .ifPresent(
            n -> {
              YNode.YMap m = Fields.asMap(n, "spec.components");
              for (YNode.Entry e : m.entries().values()) {
                String cname = e.key();
                if (!DistributionLoader.NAME.matcher(cname).matches()) {
                  throw CnaiException.badInput(e.keyLocation(), "spec.components: '" + cname + "' is not a valid component name", "use a component name of the distribution");
                }
                String ctx = "spec.components." + cname;
                if (e.value() instanceof YNode.YScalar s && s.type() == YNode.ScalarType.BOOL) {
                  components.put(cname, new Profile.ComponentSettings(Fields.asBool(s, ctx), Map.of(), e.keyLocation()));
                  continue;
                }
                Fields c = Fields.of(e.value(), ctx);
                Boolean enabled = c.optBool("enabled").orElse(null);
                Map<String, Object> values = c.plainMap("values");
                c.done();
                components.put(cname, new Profile.ComponentSettings(enabled, values, e.keyLocation()));
              }
            });
    Profile.Requirements req = spec.optional("requirements").map(ProfileLoader::requirements).orElse(Profile.Requirements.none());
    Profile.GpuSharing gpu = spec.optional("gpu").map(ProfileLoader::gpu).orElse(null);
    Profile.Cloud cloud = spec.optional("cloud").map(ProfileLoader::cloud).orElse(null);
    spec.done();
    top.done();
    return new Profile(name, description, ext, extLoc, components, req, gpu, cloud, file, root.location());
  }

  private static Profile.Requirements requirements(YNode node) {
    Fields f = Fields.of(node, "spec.requirements");
    KubeVersion min = null;
    KubeVersion max = null;
    if (f.optional("kubernetes").isPresent()) {
      Fields k = Fields.of(f.required("kubernetes"), "spec.requirements.kubernetes");
      min = k.optString("min", KubeVersion.PATTERN, "a Kubernetes version such as \"1.33\" (quote it)").map(KubeVersion::parse).orElse(null);
      max = k.optString("max", KubeVersion.PATTERN, "a Kubernetes version such as \"1.36\" (quote it)").map(KubeVersion::parse).orElse(null);
      k.done();
      if (min != null && max != null && min.compareTo(max) > 0) {
        throw CnaiException.badInput(k.location(), "spec.requirements.kubernetes: min " + min + " is newer than max " + max, "swap them");
      }
    }
    Double cpu = f.optional("cpu").map(n -> cpu(n)).orElse(null);
    String memory = f.optString("memory").orElse(null);
    Long memoryBytes = memory == null ? null : memory(memory, f.keyLocation("memory"));
    Integer gpus = null;
    String product = null;
    if (f.optional("gpus").isPresent()) {
      Fields g = Fields.of(f.required("gpus"), "spec.requirements.gpus");
      long count = g.optLong("count").orElse(0L);
      if (count < 0 || count > 10_000) {
        throw CnaiException.badInput(g.keyLocation("count"), "spec.requirements.gpus.count must be between 0 and 10000, got " + count, "write a GPU count");
      }
      gpus = (int) count;
      product = g.optString("product").orElse(null);
      g.done();
    }
    String sc = f.optString("storageClass", DistributionLoader.NAME, "a storage class name").orElse(null);
    f.done();
    return new Profile.Requirements(min, max, cpu, memoryBytes, memory, gpus, product, sc);
  }

  private static double cpu(YNode n) {
    String text = n instanceof YNode.YScalar s && s.type() != YNode.ScalarType.NULL ? s.text() : null;
    Matcher m = text == null ? null : CPU.matcher(text);
    if (m == null || !m.matches()) {
      throw CnaiException.badInput(n.location(), "spec.requirements.cpu: '" + (text == null ? n.describe() : text) + "' is not a CPU quantity", "write cores such as 8 or millicores such as 500m");
    }
    double v = Double.parseDouble(m.group(1));
    return m.group(2).isEmpty() ? v : v / 1000.0;
  }

  static long memory(String text, Location at) {
    Matcher m = MEMORY.matcher(text);
    if (!m.matches()) {
      throw CnaiException.badInput(at, "spec.requirements.memory: '" + text + "' is not a memory quantity", "write a quantity such as 16Gi");
    }
    long v = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    long mult =
        switch (unit) {
          case "Ki" -> 1L << 10;
          case "Mi" -> 1L << 20;
          case "Gi" -> 1L << 30;
          case "Ti" -> 1L << 40;
          case "k" -> 1_000L;
          case "M" -> 1_000_000L;
          case "G" -> 1_000_000_000L;
          case "T" -> 1_000_000_000_000L;
          default -> 1L;
        };
    return v * mult;
  }

  private static Profile.GpuSharing gpu(YNode node) {
    Fields f = Fields.of(node, "spec.gpu");
    YNode sharingNode = f.required("sharing");
    String sharing = Fields.asString(sharingNode, "spec.gpu.sharing");
    Profile.GpuSharing.Mode mode = null;
    for (Profile.GpuSharing.Mode m : Profile.GpuSharing.Mode.values()) {
      if (m.word.equals(sharing)) {
        mode = m;
      }
    }
    if (mode == null) {
      throw CnaiException.badInput(sharingNode.location(), "spec.gpu.sharing: unknown mode '" + sharing + "'", "use exclusive, time-slicing or mig");
    }
    Integer replicas = f.optLong("replicas").map(Long::intValue).orElse(null);
    String mig = f.optString("migStrategy").orElse(null);
    f.done();
    if (mode == Profile.GpuSharing.Mode.TIME_SLICING && (replicas == null || replicas < 2 || replicas > 64)) {
      throw CnaiException.badInput(f.location(), "spec.gpu: time-slicing needs 'replicas' between 2 and 64", "add 'replicas: 4' (pods per GPU)");
    }
    if (mode != Profile.GpuSharing.Mode.TIME_SLICING && replicas != null) {
      throw CnaiException.badInput(f.keyLocation("replicas"), "spec.gpu: 'replicas' only applies to time-slicing", "remove it or set 'sharing: time-slicing'");
    }
    if (mode == Profile.GpuSharing.Mode.MIG) {
      if (mig == null) {
        mig = "single";
      }
      if (!List.of("single", "mixed").contains(mig)) {
        throw CnaiException.badInput(f.keyLocation("migStrategy"), "spec.gpu.migStrategy: '" + mig + "' is not a MIG strategy", "use single or mixed");
      }
    } else if (mig != null) {
      throw CnaiException.badInput(f.keyLocation("migStrategy"), "spec.gpu: 'migStrategy' only applies to mig", "remove it or set 'sharing: mig'");
    }
    return new Profile.GpuSharing(mode, replicas, mig);
  }

  private static Profile.Cloud cloud(YNode node) {
    Fields f = Fields.of(node, "spec.cloud");
    YNode pn = f.required("provider");
    String provider = Fields.asString(pn, "spec.cloud.provider");
    if (!List.of("aws", "gcp", "azure").contains(provider)) {
      throw CnaiException.badInput(pn.location(), "spec.cloud.provider: unknown provider '" + provider + "'", "use aws, gcp or azure");
    }
    String lbClass = null;
    Map<String, Object> lbAnn = Map.of();
    if (f.optional("loadBalancer").isPresent()) {
      Fields lb = Fields.of(f.required("loadBalancer"), "spec.cloud.loadBalancer");
      lbClass = lb.optString("class").orElse(null);
      lbAnn = lb.plainMap("annotations");
      lb.done();
    }
    Profile.ObjectStorage os = null;
    if (f.optional("objectStorage").isPresent()) {
      Fields o = Fields.of(f.required("objectStorage"), "spec.cloud.objectStorage");
      YNode tn = o.required("type");
      String type = Fields.asString(tn, "spec.cloud.objectStorage.type");
      if (!List.of("s3", "gcs", "azure-blob").contains(type)) {
        throw CnaiException.badInput(tn.location(), "spec.cloud.objectStorage.type: unknown type '" + type + "'", "use s3, gcs or azure-blob");
      }
      os = new Profile.ObjectStorage(type, o.string("bucket"), o.optString("region").orElse(null));
      o.done();
    }
    List<Profile.GpuNodePool> pools =
        f.list(
            "gpuNodePools",
            n -> {
              Fields p = Fields.of(n, "spec.cloud.gpuNodePools[]");
              int min = p.optLong("min").orElse(0L).intValue();
              int max = p.optLong("max").orElse((long) min).intValue();
              if (min < 0 || max < min) {
                throw CnaiException.badInput(p.location(), "spec.cloud.gpuNodePools: min " + min + " and max " + max + " do not make a range", "use 0 <= min <= max");
              }
              Profile.GpuNodePool pool =
                  new Profile.GpuNodePool(
                      p.string("name", DistributionLoader.NAME, "a node pool name"),
                      p.string("instanceType"),
                      p.optLong("gpusPerNode").orElse(1L).intValue(),
                      p.optString("gpuProduct").orElse(null),
                      min,
                      max);
              p.done();
              return pool;
            });
    f.done();
    return new Profile.Cloud(provider, lbClass, lbAnn, os, new ArrayList<>(pools));
  }
}
