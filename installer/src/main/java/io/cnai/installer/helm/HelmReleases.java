package io.cnai.installer.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.cnai.core.CnaiException;
import io.cnai.installer.kube.ClusterAccess;
import io.cnai.installer.kube.ClusterSession;
import io.cnai.installer.kube.ClusterUnreachableException;
import io.cnai.installer.kube.Records;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Helm releases through helm-java (Helm's own code, in-process) with the target's kubeconfig, so
 * that {@code helm list} and {@code helm history} see what cnai did. Release records are read
 * straight from Helm's storage Secrets ({@code owner=helm}), which is also how releases stuck in a
 * pending state by an interrupted command are repaired.
 */
public final class HelmReleases implements AutoCloseable {
  private static final ObjectMapper YAML = io.cnai.installer.json.Mappers.YAML;

  /**
   * Helm calls that change the cluster at the same time, at most (ADR 0307): each holds its own
   * Go heap (chart, discovery, client), so more calls than this only add memory, not speed.
   * {@code CNAI_HELM_PARALLEL} (or the system property {@code cnai.helm.parallel}) sets it.
   */
  static final int PARALLEL = parallel();
  private static final java.util.concurrent.Semaphore CALLS = new java.util.concurrent.Semaphore(PARALLEL, true);

  private static int parallel() {
    String v = System.getProperty("cnai.helm.parallel", System.getenv("CNAI_HELM_PARALLEL"));
    try {
      return v == null || v.isBlank() ? 4 : Math.max(1, Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      return 4;
    }
  }

  /** Runs a Helm call once one of the {@link #PARALLEL} places is free. */
  private static <T> T bounded(java.util.function.Supplier<T> call) {
    try {
      CALLS.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while waiting to call Helm", "run the same command again");
    }
    try {
      return call.get();
    } finally {
      CALLS.release();
    }
  }

  private final ClusterSession session;
  private final Path kubeconfig;
  private final boolean privateCopy;

  /**
   * Releases on the cluster of the session. Helm reads the same kubeconfig: the user's file, or,
   * when a context is named, a private copy (owner-only, deleted on {@link #close}) pinned to that
   * context. (helm-java 0.0.21 takes kubeconfig text too, but its upgrade ignores it and falls back
   * to localhost:8080: checked against a sim cluster; so a file it is.)
   */
  public HelmReleases(ClusterSession session) {
    this.session = session;
    ClusterAccess access = session.access();
    this.privateCopy = access.context() != null;
    this.kubeconfig = privateCopy ? privateCopy(access) : access.kubeconfig();
  }

  private static Path privateCopy(ClusterAccess access) {
    try {
      Path f = Files.createTempFile("cnai-kubeconfig", ".yaml",
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      f.toFile().deleteOnExit();
      Files.writeString(f, access.helmKubeconfig());
      return f;
    } catch (IOException e) {
      throw CnaiException.failure("cannot write a kubeconfig for Helm: " + e.getMessage(), "check the temporary folder");
    }
  }

  @Override
  public void close() {
    if (privateCopy) {
      try {
        Files.deleteIfExists(kubeconfig);
      } catch (IOException e) {
        // deleted on exit
      }
    }
  }

  /** Loads Helm's native library now (a warm-up step: a failure is left to the real call to report). */
  public static void loadNativeLibrary() {
    try {
      Class.forName("com.marcnuri.helm.Helm$HelmLibHolder", true, HelmReleases.class.getClassLoader());
    } catch (Throwable ignored) {
      // only a head start
    }
  }

  /**
   * Helm's error when it could not reach the API server. helm-java hands Go's errors over the
   * native boundary as text only, with no type or status: this is the one place cnai reads error
   * text, and it turns it into a typed {@link ClusterUnreachableException}.
   */
  private static boolean unreachable(String goError) {
    String m = String.valueOf(goError).toLowerCase(java.util.Locale.ROOT);
    return m.contains("connection refused") || m.contains("cluster unreachable") || m.contains("i/o timeout")
        || m.contains("connection reset") || m.contains("eof") || m.contains("tls handshake")
        || m.contains("the server is currently unable") || m.contains("connection was closed") || m.contains("failed to connect")
        || m.contains("connect timed out") || m.contains("http2: client connection lost");
  }

  private static CnaiException failed(String problem, String hint, RuntimeException e) {
    return unreachable(e.getMessage()) ? new ClusterUnreachableException(problem, hint, e) : CnaiException.failure(problem, hint, e);
  }

  /** Helm's storage Secrets in one namespace. */
  private Records secrets(String namespace) {
    return session.records(Records.Kind.SECRET, namespace);
  }

  /** One record of Helm's storage: revision number and status ({@code deployed}, {@code pending-upgrade} ...). */
  public record Record(String release, String namespace, int version, String status) {}

  /** Every stored revision of the release, oldest first. */
  public List<Record> records(String release, String namespace) {
    List<Record> out = new ArrayList<>();
    for (Records.Record s : secrets(namespace).list(Map.of("owner", "helm", "name", release))) {
      Map<String, String> l = s.labels();
      out.add(new Record(release, namespace, Integer.parseInt(l.getOrDefault("version", "0")), l.getOrDefault("status", "unknown")));
    }
    out.sort(Comparator.comparingInt(Record::version));
    return out;
  }

  /** The newest record, or null when there is no release. */
  public Record current(String release, String namespace) {
    List<Record> r = records(release, namespace);
    return r.isEmpty() ? null : r.get(r.size() - 1);
  }

  /** The newest record of a release and what Helm stored with it (null when its Secret holds no release). */
  public record Latest(Record record, Stored stored) {}

  /**
   * {@link #current} and {@link #stored} of that revision from one request: the list of the
   * release's Secrets already holds their data. Null when there is no release.
   */
  public Latest latest(String release, String namespace) {
    Records.Record newest = null;
    Record rec = null;
    for (Records.Record s : secrets(namespace).list(Map.of("owner", "helm", "name", release))) {
      Map<String, String> l = s.labels();
      Record r = new Record(release, namespace, Integer.parseInt(l.getOrDefault("version", "0")), l.getOrDefault("status", "unknown"));
      if (rec == null || r.version() > rec.version()) {
        rec = r;
        newest = s;
      }
    }
    return rec == null ? null : new Latest(rec, stored(newest, release, namespace, rec.version()));
  }

  /**
   * Removes the records left in {@code pending-install}, {@code pending-upgrade} or {@code
   * pending-rollback} by an interrupted command (as 'helm rollback' would, without a new revision):
   * the release is back at its last completed revision and the next upgrade proceeds. Returns the
   * repaired records.
   */
  public List<Record> repairPending(String release, String namespace) {
    List<Record> repaired = new ArrayList<>();
    for (Record r : records(release, namespace)) {
      if (r.status().startsWith("pending-")) {
        secrets(namespace).delete(secretName(release, r.version()));
        repaired.add(r);
      }
    }
    return repaired;
  }

  /** {@code helm upgrade --install} of the verified archive with exactly these values; returns the revision. */
  public int upgradeInstall(String release, String namespace, Path chartDir, Map<String, Object> values, Duration timeout) {
    Path valuesFile = null;
    try { // no lock: releases of one wave are installed at the same time (ADR 0307)
      valuesFile = Files.createTempFile("cnai-values", ".yaml");
      YAML.writeValue(valuesFile.toFile(), values);
      Path valuesPath = valuesFile;
      Release r = bounded(() -> new Helm(chartDir).upgrade()
          .install()
          .withName(release)
          .withNamespace(namespace)
          .withKubeConfig(kubeconfig)
          .resetValues()
          .withValuesFile(valuesPath)
          .skipCrds()
          .withTimeout((int) Math.max(1, timeout.toSeconds()))
          .call());
      return Integer.parseInt(r.getRevision());
    } catch (IOException e) {
      throw CnaiException.failure("cannot write the values of release " + release + ": " + e.getMessage(), "check the temporary folder");
    } catch (RuntimeException e) {
      throw failed(
          "helm upgrade --install of release " + namespace + "/" + release + " failed: " + String.valueOf(e.getMessage()).strip(),
          "the message above is Helm's; 'helm history " + release + " -n " + namespace + "' shows the release's revisions", e);
    } finally {
      if (valuesFile != null) {
        try {
          Files.deleteIfExists(valuesFile);
        } catch (IOException e) {
          // a temporary file
        }
      }
    }
  }

  /** Helm's annotation that makes 'helm uninstall' (and upgrades that drop an object) leave the object. */
  static final String RESOURCE_POLICY = "helm.sh/resource-policy";

  /**
   * Makes the next {@code helm uninstall} of the release leave its objects of {@code kind}, as
   * {@code helm.sh/resource-policy: keep} on them in the chart would. Helm decides what to keep from
   * the manifest it stored with the release, not from the live objects, so the annotation is added
   * there: in the newest release record (the one uninstall reads). Returns the objects that will be
   * kept, as {@code namespace/name}; the record is left as it was when the manifest has none.
   */
  public List<String> keepOnUninstall(String release, String namespace, String kind) {
    Record cur = current(release, namespace);
    if (cur == null) {
      return List.of();
    }
    String secretName = secretName(release, cur.version());
    Records.Record secret = secrets(namespace).get(secretName);
    if (secret == null || !secret.data().containsKey("release")) {
      return List.of();
    }
    try {
      com.fasterxml.jackson.databind.node.ObjectNode rel = decode(secret);
      List<String> kept = new ArrayList<>();
      String manifest = keepInManifest(rel.path("manifest").asText(""), kind, namespace, kept);
      if (kept.isEmpty()) {
        return List.of();
      }
      rel.put("manifest", manifest);
      java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
      try (var gz = new java.util.zip.GZIPOutputStream(buf)) {
        gz.write(JSON.writeValueAsBytes(rel));
      }
      Map<String, String> data = new java.util.LinkedHashMap<>(secret.data());
      data.put("release", java.util.Base64.getEncoder().encodeToString(buf.toByteArray()));
      secrets(namespace).put(new Records.Record(secret.name(), secret.labels(), secret.type(), data));
      return kept;
    } catch (IOException | RuntimeException e) {
      throw CnaiException.failure("cannot mark the " + kind + "s of Helm release " + namespace + "/" + release
          + " to be kept (" + secretName + "): " + e.getMessage(),
          "run the same command again; --delete-pvcs removes them instead of keeping them", e);
    }
  }

  /**
   * The manifest (documents as Helm stores them: {@code ---}, a {@code # Source:} line, the object)
   * with {@code helm.sh/resource-policy: keep} on every object of {@code kind}; adds those, as
   * {@code namespace/name}, to {@code kept}. Other documents are left byte for byte.
   */
  @SuppressWarnings("unchecked")
  static String keepInManifest(String manifest, String kind, String releaseNamespace, List<String> kept) throws IOException {
    ObjectMapper yaml = io.cnai.installer.json.Mappers.QUOTED_YAML; // a label "1" must stay a string for Helm
    String[] docs = manifest.split("(?m)^---[ \\t]*\\r?\\n", -1);
    for (int i = 0; i < docs.length; i++) {
      String doc = docs[i];
      if (!doc.contains(kind)) {
        continue;
      }
      Object parsed = yaml.readValue(doc, Object.class);
      if (!(parsed instanceof Map<?, ?> m) || !kind.equals(m.get("kind")) || !(m.get("metadata") instanceof Map<?, ?> md)) {
        continue;
      }
      Map<String, Object> meta = (Map<String, Object>) md;
      Map<String, Object> annotations = new java.util.LinkedHashMap<>();
      if (meta.get("annotations") instanceof Map<?, ?> a) {
        annotations.putAll((Map<String, Object>) a);
      }
      annotations.put(RESOURCE_POLICY, "keep");
      meta.put("annotations", annotations);
      StringBuilder comments = new StringBuilder();
      for (String line : doc.lines().toList()) {
        if (!line.startsWith("#")) {
          break;
        }
        comments.append(line).append('\n');
      }
      docs[i] = comments + yaml.writeValueAsString(m);
      kept.add((meta.get("namespace") == null ? releaseNamespace : meta.get("namespace")) + "/" + meta.get("name"));
    }
    return String.join("---\n", docs);
  }

  /** {@code helm uninstall}; nothing when the release does not exist. */
  public void uninstall(String release, String namespace, Duration timeout) {
    if (records(release, namespace).isEmpty()) {
      return;
    }
    try {
      bounded(() -> Helm.uninstall(release).withNamespace(namespace).withKubeConfig(kubeconfig).ignoreNotFound().call());
    } catch (RuntimeException e) {
      throw failed("helm uninstall of release " + namespace + "/" + release + " failed: " + e.getMessage(),
          "run the same command again; 'helm list -a -n " + namespace + "' shows the release", e);
    }
  }

  /**
   * The manifest Helm stored for one revision of the release (what it applied, hooks excluded), read
   * from Helm's release Secret ({@code release}: base64 of the gzipped release JSON); null when that
   * revision is not stored.
   */
  public String manifest(String release, String namespace, int version) {
    Records.Record s = secrets(namespace).get(secretName(release, version));
    if (s == null || s.data().get("release") == null) {
      return null;
    }
    try {
      return decode(s).path("manifest").asText("");
    } catch (IOException | RuntimeException e) {
      throw CnaiException.failure("Helm's record of release " + namespace + "/" + release + " revision " + version + " cannot be read: " + e.getMessage(),
          "check the Secret " + secretName(release, version) + " in " + namespace + " ('helm history " + release + " -n " + namespace + "')");
    }
  }

  private static final ObjectMapper JSON = io.cnai.installer.json.Mappers.JSON;

  /** The Secret in which Helm stores one revision of a release. */
  private static String secretName(String release, int version) {
    return "sh.helm.release.v1." + release + ".v" + version;
  }

  /**
   * The release JSON of one of Helm's release Secrets: {@code data.release} is base64 (the Secret's
   * own) of base64 of the gzipped JSON (gzip is optional, as Helm reads it).
   */
  private static com.fasterxml.jackson.databind.node.ObjectNode decode(Records.Record secret) throws IOException {
    byte[] packed = java.util.Base64.getDecoder().decode(secret.data().get("release").trim());
    byte[] json = packed.length > 1 && (packed[0] & 0xff) == 0x1f && (packed[1] & 0xff) == 0x8b
        ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(packed)).readAllBytes()
        : packed;
    return (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
  }

  /**
   * What Helm stored for one revision of a release, read from its release Secret (no call into
   * Helm: {@code helm status} and {@code helm get values} read the same record): the chart as
   * {@code name-version}, the user-supplied values ({@code helm get values}) and the manifest.
   * Null when that revision is not stored.
   */
  public record Stored(String chart, Map<String, Object> values, String manifest) {}

  public Stored stored(String release, String namespace, int version) {
    return stored(secrets(namespace).get(secretName(release, version)), release, namespace, version);
  }

  @SuppressWarnings("unchecked")
  private static Stored stored(Records.Record s, String release, String namespace, int version) {
    if (s == null || s.data().get("release") == null) {
      return null;
    }
    try {
      var rel = decode(s);
      var md = rel.path("chart").path("metadata");
      String chart = md.hasNonNull("name") ? md.path("name").asText() + "-" + md.path("version").asText() : null;
      Object values = rel.hasNonNull("config") ? JSON.treeToValue(rel.get("config"), Object.class) : Map.of();
      return new Stored(chart, values instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), rel.path("manifest").asText(""));
    } catch (IOException | RuntimeException e) {
      throw CnaiException.failure("Helm's record of release " + namespace + "/" + release + " revision " + version + " cannot be read: " + e.getMessage(),
          "check the Secret " + secretName(release, version) + " in " + namespace + " ('helm history " + release + " -n " + namespace + "')");
    }
  }
}
