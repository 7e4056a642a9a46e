package io.cnai.distro;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.Location;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a distribution lockfile strictly: unknown fields, wrong types, malformed names, versions
 * and digests, duplicate components, unknown dependencies and dependency cycles are all refused
 * with file, line and column.
 */
public final class DistributionLoader {
  public static final Pattern NAME =
      Pattern.compile("^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$");
  public static final Pattern DIGEST = Pattern.compile("^sha256:[0-9a-f]{64}$");
  public static final Pattern CHART_VERSION =
      Pattern.compile("^v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$");
  public static final Pattern RELEASE_VERSION = Pattern.compile("^\\d{4}\\.\\d{1,2}(\\.\\d+)?(-[0-9A-Za-z.-]+)?$");
  public static final Pattern KUBE_VERSION = KubeVersion.PATTERN;
  public static final Pattern HELM_REPOSITORY = Pattern.compile("^(https?|oci|file)://[^\\s]+[^/\\s]$");
  public static final Pattern URL = Pattern.compile("^(https?|file)://[^\\s]+$");
  public static final Pattern GIT_REF = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z._/-]*$");
  public static final Pattern REL_PATH = Pattern.compile("^[0-9A-Za-z._-][0-9A-Za-z._/-]*$");
  public static final Pattern CAPABILITY = Pattern.compile("^[a-z][a-z0-9-]*$");
  public static final Pattern CRD_GROUP = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$");
  public static final Pattern KIND = Pattern.compile("^[A-Z][A-Za-z0-9]*$");
  public static final Pattern IMAGE = Pattern.compile("^[a-z0-9][a-z0-9._:/-]*[a-z0-9](:[\\w][\\w.-]{0,127})?$");

  /** The capabilities a component may provide; a typo here would silently break planning. */
  public static final List<String> CAPABILITIES =
      List.of(
          "certificates",
          "queueing",
          "gang-scheduling",
          "batch-scheduling",
          "distributed-computing",
          "inference",
          "training",
          "hyperparameter-tuning",
          "pipelines",
          "notebooks",
          "dashboard",
          "experiment-tracking",
          "feature-store",
          "gpu",
          "dra",
          "node-features",
          "observability",
          "accelerator-metrics");

  private DistributionLoader() {}

  /** A relative manifest location, {@code file:manifests/x.yaml}: a file beside the lockfile. */
  public static final Pattern RELATIVE_FILE = Pattern.compile("^file:(?!/)[^\\s]+$");

  /**
   * The URL of a manifest source; {@code file:PATH} (no slashes after the colon) names a file
   * relative to the lockfile's folder, which releases that ship their own manifests use, and is
   * read as the absolute {@code file:///} URL. It may not leave that folder.
   */
  private static String manifestUrl(Fields s, Path file) {
    String raw = s.string("url");
    if (RELATIVE_FILE.matcher(raw).matches()) {
      Path dir = file.toAbsolutePath().normalize().getParent();
      Path target = dir.resolve(raw.substring("file:".length())).normalize();
      if (!target.startsWith(dir)) {
        throw CnaiException.badInput(s.keyLocation("url"), "source.manifest.url '" + raw + "' leaves the lockfile's folder",
            "name a file below " + dir + ", e.g. file:manifests/app.yaml");
      }
      return target.toUri().toString();
    }
    if (!URL.matcher(raw).matches()) {
      throw CnaiException.badInput(s.keyLocation("url"), "source.manifest.url '" + raw + "' is not a URL",
          "write an https:// URL, or file:PATH for a file beside the lockfile");
    }
    return raw;
  }

  public static Distribution load(Path file) {
    return read(file, Yaml.read(file));
  }

  public static Distribution parse(String name, String text) {
    return read(Path.of(name), Yaml.parse(name, text));
  }

  /** One entry of spec.kubernetes.tested: {version: "1.37.2", cluster: sim}. */
  private static Distribution.TestedOn testedOn(YNode node) {
    Fields t = Fields.of(node, "spec.kubernetes.tested[]");
    String v = t.string("version", KUBE_VERSION, "the Kubernetes version tested, such as \"1.37.2\" (quote it)");
    String cluster = t.string("cluster", NAME, "the kind of cluster it was tested on, such as sim, kind or eks");
    t.done();
    return new Distribution.TestedOn(KubeVersion.parse(v), cluster);
  }

  static Distribution read(Path file, YNode root) {
    Fields top = Fields.of(root, "distribution");
    checkHeader(top, Distribution.API_VERSION, Distribution.KIND);
    Fields meta = Fields.of(top.required("metadata"), "metadata");
    String name = meta.string("name", NAME, "a lowercase name (letters, digits, '-')");
    String version =
        meta.string("version", RELEASE_VERSION, "a release version such as \"2026.11\" (quote it)");
    String description = meta.optString("description").orElse("");
    meta.done();

    Fields spec = Fields.of(top.required("spec"), "spec");
    KubeVersion min = null;
    KubeVersion max = null;
    List<Distribution.TestedOn> tested = List.of();
    if (spec.optional("kubernetes").isPresent()) {
      Fields k = Fields.of(spec.required("kubernetes"), "spec.kubernetes");
      min = k.optString("min", KUBE_VERSION, "a Kubernetes version such as \"1.33\"").map(KubeVersion::parse).orElse(null);
      max = k.optString("max", KUBE_VERSION, "a Kubernetes version such as \"1.36\"").map(KubeVersion::parse).orElse(null);
      tested = k.list("tested", DistributionLoader::testedOn);
      Map<String, Distribution.TestedOn> seen = new HashMap<>();
      for (Distribution.TestedOn t : tested) {
        Distribution.TestedOn prior = seen.putIfAbsent(t.version().minorLine() + "/" + t.cluster(), t);
        if (prior != null) {
          throw CnaiException.badInput(
              k.keyLocation("tested"),
              "spec.kubernetes.tested lists " + t.version().minorLine() + " on " + t.cluster() + " twice (" + prior.version() + ", " + t.version() + ")",
              "keep one entry per Kubernetes minor version and cluster kind");
        }
      }
      k.done();
      if (min != null && max != null && min.compareTo(max) > 0) {
        throw CnaiException.badInput(
            k.location(), "spec.kubernetes: min " + min + " is newer than max " + max, "swap them");
      }
    }
    Distribution.Signer signer = null;
    if (spec.optional("signer").isPresent()) {
      Fields s = Fields.of(spec.required("signer"), "spec.signer");
      String identity = s.optString("identity").orElse(null);
      String issuer = s.optString("issuer").orElse(null);
      String key = s.optString("publicKey").orElse(null);
      s.done();
      if ((identity == null) != (issuer == null) || (identity == null) == (key == null)) {
        throw CnaiException.badInput(
            s.location(),
            "spec.signer: give either identity and issuer (keyless) or publicKey",
            "write 'identity:' and 'issuer:', or 'publicKey:'");
      }
      signer = new Distribution.Signer(identity, issuer, key);
    }
    YNode.YList list = Fields.asList(spec.required("components"), "spec.components");
    if (list.items().isEmpty()) {
      throw CnaiException.badInput(
          list.location(), "spec.components is empty", "list at least one component");
    }
    List<Component> components = new ArrayList<>();
    Map<String, Component> byName = new HashMap<>();
    for (YNode item : list.items()) {
      Component c = component(item, file);
      Component prior = byName.putIfAbsent(c.name(), c);
      if (prior != null) {
        throw CnaiException.badInput(
            c.location(),
            "duplicate component '" + c.name() + "' (first at line " + prior.location().line() + ")",
            "give each component a unique name, or remove one");
      }
      components.add(c);
    }
    spec.done();
    top.done();
    Distribution d =
        new Distribution(name, version, description, min, max, tested, signer, components, file, root.location());
    DistributionChecks.check(d);
    return d;
  }

  /** Checks apiVersion and kind first, so that a wrong file type gets the right message. */
  public static void checkHeader(Fields top, String apiVersion, String kind) {
    YNode av = top.required("apiVersion");
    String gotAv = Fields.asString(av, "apiVersion");
    YNode k = top.required("kind");
    String gotKind = Fields.asString(k, "kind");
    if (!gotKind.equals(kind)) {
      throw CnaiException.badInput(
          k.location(),
          "kind is '" + gotKind + "', expected '" + kind + "'",
          "is this the right file? a " + kind + " starts with 'kind: " + kind + "'");
    }
    if (!gotAv.equals(apiVersion)) {
      throw CnaiException.badInput(
          av.location(),
          "apiVersion '" + gotAv + "' is not supported for kind " + kind,
          "use 'apiVersion: " + apiVersion + "'");
    }
  }

  private static Component component(YNode node, Path file) {
    Fields f = Fields.of(node, "component");
    String name = f.string("name", NAME, "a valid component name (lowercase letters, digits and '-', at most 53 characters)");
    String ctx = "component '" + name + "'";
    f = Fields.of(node, ctx);
    f.string("name");
    String description = f.optString("description").orElse("");
    String namespace = f.string("namespace", NAME, "a valid namespace name");
    Source source = source(f.required("source"), ctx + ".source", file);
    List<Component.Subchart> subcharts = f.list("subcharts", n -> subchart(n, ctx));
    if (!subcharts.isEmpty() && !(source instanceof Source.Helm)) {
      throw CnaiException.badInput(
          f.keyLocation("subcharts"),
          ctx + ": subcharts are only valid for a Helm chart source",
          "remove 'subcharts' or use a 'helm' source");
    }
    List<String> dependsOn = f.list("dependsOn", n -> nameRef(n, ctx + ".dependsOn"));
    Location dependsOnAt = f.keyLocation("dependsOn");
    List<String> uses =
        f.list(
            "uses",
            n -> {
              String g = Fields.asString(n, ctx + ".uses[]");
              if (!CRD_GROUP.matcher(g).matches()) {
                throw CnaiException.badInput(
                    n.location(), ctx + ".uses: '" + g + "' is not an API group", "write a group such as cert-manager.io");
              }
              return g;
            });
    Component.Provides provides =
        f.optional("provides").map(n -> provides(n, ctx + ".provides")).orElse(Component.Provides.none());
    List<Component.Image> images = f.list("images", n -> image(n, ctx + ".images[]"));
    Component.SignaturePolicy signature = signature(f.required("signature"), ctx + ".signature");
    Map<String, Object> values = f.optional("values").isPresent() ? f.plainMap("values") : Map.of();
    List<Component.ReadinessCheck> readiness = f.list("readiness", n -> readiness(n, ctx + ".readiness[]"));
    KubeVersion minK =
        f.optString("minKubernetes", KUBE_VERSION, "a Kubernetes version such as \"1.32\" (quote it)")
            .map(KubeVersion::parse)
            .orElse(null);
    f.done();
    return new Component(
        name, description, namespace, source, subcharts, dependsOn, uses, provides, images, signature,
        new LinkedHashMap<>(values), readiness, minK, node.location(), dependsOnAt);
  }

  private static String nameRef(YNode n, String what) {
    String s = Fields.asString(n, what + "[]");
    if (!NAME.matcher(s).matches()) {
      throw CnaiException.badInput(n.location(), what + ": '" + s + "' is not a valid component name", "use the name of a component of this distribution");
    }
    return s;
  }

  private static Source source(YNode node, String ctx, Path file) {
    Fields f = Fields.of(node, ctx);
    List<String> kinds = new ArrayList<>();
    for (String k : List.of("helm", "manifest", "kustomize")) {
      if (f.node().entries().containsKey(k)) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      // read them so that done() reports a truly unknown field first
      f.optional("helm");
      f.optional("manifest");
      f.optional("kustomize");
      f.done();
      throw CnaiException.badInput(
          f.location(),
          ctx + " must have exactly one of helm, manifest, kustomize" + (kinds.isEmpty() ? "" : "; found " + String.join(" and ", kinds)),
          "keep one source kind");
    }
    String kind = kinds.get(0);
    Fields s = Fields.of(f.required(kind), ctx + "." + kind);
    f.done();
    Source out =
        switch (kind) {
          case "helm" ->
              new Source.Helm(
                  s.string("repository", HELM_REPOSITORY, "a chart repository URL (https://…) or OCI reference (oci://…) without a trailing '/'"),
                  s.string("chart", NAME, "a chart name"),
                  s.string("version", CHART_VERSION, "a semantic version such as 1.2.3 or v1.2.3 (quote it)"),
                  digest(s));
          case "manifest" ->
              new Source.Manifest(manifestUrl(s, file), digest(s));
          default ->
              new Source.Kustomize(
                  s.string("repository", URL, "a git repository URL (https://…)"),
                  s.string("ref", GIT_REF, "a git tag or commit"),
                  s.string("path", REL_PATH, "a path inside the repository, without a leading '/'"),
                  digest(s));
        };
    s.done();
    return out;
  }

  private static String digest(Fields s) {
    return s.optString("digest", DIGEST, "a digest \"sha256:\" followed by 64 lowercase hex digits").orElse(null);
  }

  private static Component.Subchart subchart(YNode node, String ctx) {
    Fields f = Fields.of(node, ctx + ".subcharts[]");
    Component.Subchart s =
        new Component.Subchart(
            f.string("name", NAME, "a chart name"),
            f.string("repository", HELM_REPOSITORY, "a chart repository URL or OCI reference"),
            f.string("version", CHART_VERSION, "a semantic version such as 1.2.3 (quote it)"),
            digest(f),
            node.location());
    f.done();
    return s;
  }

  private static Component.Provides provides(YNode node, String ctx) {
    Fields f = Fields.of(node, ctx);
    List<Component.CrdGroup> crds =
        f.list(
            "crds",
            n -> {
              Fields g = Fields.of(n, ctx + ".crds[]");
              String group = g.string("group", CRD_GROUP, "an API group such as cert-manager.io");
              List<String> kinds = g.list("kinds", k -> {
                String kind = Fields.asString(k, ctx + ".crds[].kinds[]");
                if (!KIND.matcher(kind).matches()) {
                  throw CnaiException.badInput(k.location(), ctx + ": '" + kind + "' is not a Kind", "write a Kind in UpperCamelCase, such as Certificate");
                }
                return kind;
              });
              g.done();
              return new Component.CrdGroup(group, kinds);
            });
    List<String> caps =
        f.list(
            "capabilities",
            n -> {
              String c = Fields.asString(n, ctx + ".capabilities[]");
              if (!CAPABILITIES.contains(c)) {
                String near = Fields.closest(c, CAPABILITIES);
                throw CnaiException.badInput(
                    n.location(),
                    ctx + ": unknown capability '" + c + "'",
                    near != null ? "did you mean '" + near + "'?" : "use one of: " + String.join(", ", CAPABILITIES));
              }
              return c;
            });
    f.done();
    return new Component.Provides(crds, caps);
  }

  private static Component.Image image(YNode node, String ctx) {
    Fields f = Fields.of(node, ctx);
    String ref = f.string("reference");
    if (!IMAGE.matcher(ref).matches()) {
      throw CnaiException.badInput(f.keyLocation("reference"), ctx + ": '" + ref + "' is not an image reference", "write registry/repository:tag");
    }
    Component.Image img = new Component.Image(ref, digest(f));
    f.done();
    return img;
  }

  private static Component.ReadinessCheck readiness(YNode node, String ctx) {
    Fields f = Fields.of(node, ctx);
    String kind = f.string("kind");
    List<String> known = List.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CustomResourceDefinition", "APIService", "Service");
    if (!known.contains(kind)) {
      throw CnaiException.badInput(f.keyLocation("kind"), ctx + ": cannot check readiness of kind '" + kind + "'", "use one of: " + String.join(", ", known));
    }
    Component.ReadinessCheck r =
        new Component.ReadinessCheck(kind, f.string("name"), f.optString("namespace", NAME, "a namespace name").orElse(null));
    f.done();
    return r;
  }

  private static Component.SignaturePolicy signature(YNode node, String ctx) {
    Fields f = Fields.of(node, ctx);
    Component.Policy chart = policy(f.required("chart"), ctx + ".chart");
    Component.Policy images = policy(f.required("images"), ctx + ".images");
    f.done();
    return new Component.SignaturePolicy(chart, images);
  }

  private static Component.Policy policy(YNode node, String ctx) {
    Fields f = Fields.of(node, ctx);
    YNode typeNode = f.required("type");
    String type = Fields.asString(typeNode, ctx + ".type");
    if (!Component.Policy.TYPES.contains(type)) {
      throw CnaiException.badInput(
          typeNode.location(),
          ctx + ".type: unknown signature type '" + type + "'",
          "use one of: " + String.join(", ", Component.Policy.TYPES));
    }
    Component.Policy p =
        new Component.Policy(
            type,
            f.optString("reason").orElse(null),
            f.optString("key").orElse(null),
            f.optString("fingerprint").orElse(null),
            f.optString("identity").orElse(null),
            f.optString("issuer").orElse(null));
    f.done();
    Location at = node.location();
    switch (type) {
      case "none" -> require(p.reason(), at, ctx, "reason", "say why nothing can be verified (e.g. \"upstream publishes no signature\")");
      case "gpg-provenance" -> require(
          p.fingerprint() != null ? p.fingerprint() : p.reason(), at, ctx, "fingerprint",
          "the signing key's fingerprint (or a 'reason' saying where the key is published)");
      case "cosign-key" -> require(p.key(), at, ctx, "key", "where the public key is published");
      case "cosign-keyless", "github-attestation" -> {
        require(p.identity(), at, ctx, "identity", "the certificate identity");
        require(p.issuer(), at, ctx, "issuer", "the OIDC issuer");
      }
      default -> {}
    }
    return p;
  }

  private static void require(String value, Location at, String ctx, String field, String what) {
    if (value == null || value.isBlank()) {
      throw CnaiException.badInput(at, ctx + ": this signature type needs '" + field + "'", "add '" + field + ":' with " + what);
    }
  }
}
