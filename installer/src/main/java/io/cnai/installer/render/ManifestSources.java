package io.cnai.installer.render;

import io.cnai.core.CnaiException;
import io.cnai.distro.Source;
import io.cnai.installer.charts.Digests;
import io.cnai.installer.plan.Canonical;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Fetches the manifests of components that are not Helm charts: a published manifest file, or a
 * kustomize base rendered by the {@code kustomize} binary. Both are kept in a digest-keyed cache
 * ({@code <root>/sha256/<hex>.yaml}) and verified against the lock, like charts.
 */
public final class ManifestSources {
  private final Path root;
  private final UnaryOperator<String> locations;
  /** Made on first download: a JDK HTTP client loads the trust store and keeps a selector thread in a native call. */
  private final java.util.function.Supplier<HttpClient> http;
  private final Duration timeout;
  private Map<String, String> gitMirrors = Map.of();

  /** Fetches from the locations the distribution names (upstream). */
  public ManifestSources(Path root) {
    this(root, UnaryOperator.identity());
  }

  /**
   * Fetches manifest URLs and kustomize git repositories from {@code locations.apply(upstream)}
   * (a mirror, see {@code io.cnai.installer.render.Mirrors}); digests stay the lock's.
   */
  public ManifestSources(Path root, UnaryOperator<String> locations) {
    this(root, locations, null, Duration.ofSeconds(60));
  }

  public ManifestSources(Path root, HttpClient http, Duration timeout) {
    this(root, UnaryOperator.identity(), http, timeout);
  }

  public ManifestSources(Path root, UnaryOperator<String> locations, HttpClient http, Duration timeout) {
    this.root = root;
    this.locations = locations;
    this.http = http != null ? () -> http : new java.util.function.Supplier<>() {
      private HttpClient made;

      @Override
      public synchronized HttpClient get() {
        if (made == null) {
          made = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
        }
        return made;
      }
    };
    this.timeout = timeout;
  }

  /**
   * Git repositories that kustomize bases pull in themselves (a remote base inside a
   * kustomization, e.g. {@code https://github.com/argoproj/argo-workflows/manifests/base?ref=v4.0.5})
   * are fetched from these mirrors: upstream location prefix to mirror location prefix, as in the
   * mirrors file. For a kustomize source fetched through a mirror, a remote base over http(s) that
   * none covers is refused (named in the error) instead of being fetched from upstream behind the
   * user's back; a source that no mirror covers is fetched from upstream as before, nested bases
   * included.
   */
  public ManifestSources withGitMirrors(Map<String, String> upstreamToMirror) {
    this.gitMirrors = Map.copyOf(upstreamToMirror);
    return this;
  }

  /** The bytes of the manifests and their digest, verified against {@code source.digest()}. */
  public record Fetched(byte[] bytes, String digest) {}

  public Fetched fetch(String component, Source source) {
    String expected = source.digest();
    if (expected != null) {
      Path cached = root.resolve("sha256").resolve(Digests.hex(expected) + ".yaml");
      if (Files.isRegularFile(cached)) {
        try {
          byte[] bytes = Files.readAllBytes(cached);
          if (Canonical.sha256(bytes).equals(expected)) {
            return new Fetched(bytes, expected);
          }
          Files.deleteIfExists(cached);
        } catch (IOException e) {
          // fall through and fetch again
        }
      }
    }
    byte[] bytes;
    String from;
    if (source instanceof Source.Manifest m) {
      String url = locations.apply(m.url());
      from = url.equals(m.url()) ? m.url() : url + " (mirror of " + m.url() + ")";
      bytes = download(component, url, from);
    } else if (source instanceof Source.Kustomize k) {
      String repository = locations.apply(k.repository());
      Source.Kustomize fetched = new Source.Kustomize(repository, k.ref(), k.path(), k.digest());
      from = repository.equals(k.repository()) ? k.reference() : fetched.reference() + " (mirror of " + k.reference() + ")";
      bytes = kustomize(component, fetched, from);
    } else {
      throw new IllegalArgumentException("not a manifest source: " + source);
    }
    String actual = Canonical.sha256(bytes);
    if (expected != null && !expected.equals(actual)) {
      boolean mirrored = !from.equals(source.reference());
      throw CnaiException.refused(
          "component '" + component + "': " + from + " has digest " + actual + ", but the lock says " + expected,
          mirrored
              ? "the mirror serves other manifests than the distribution pins; nothing was applied or cached. Refresh the mirror from upstream (a mirror never changes a digest)"
              : "the published manifests changed or were tampered with; nothing was applied. Check upstream, then run 'cnai distro lock' if the change is expected");
    }
    store(bytes, actual);
    return new Fetched(bytes, actual);
  }

  private void store(byte[] bytes, String digest) {
    try {
      Path target = root.resolve("sha256").resolve(Digests.hex(digest) + ".yaml");
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "fetch", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw CnaiException.failure("cannot write the manifest cache in " + root + ": " + e.getMessage(), "check the disk and CNAI_CACHE");
    }
  }

  /** Downloads {@code url}; {@code from} names it in errors (with the upstream it mirrors). */
  private byte[] download(String component, String url, String from) {
    boolean mirrored = !from.equals(url);
    if (url.startsWith("file://")) {
      try {
        return Files.readAllBytes(Path.of(URI.create(url)));
      } catch (IOException | IllegalArgumentException e) {
        throw CnaiException.failure("component '" + component + "': cannot read " + from + ": " + e.getMessage(),
            mirrored ? "check that the mirror holds the file (same path below the mirror as below the upstream)" : "check the path in the lockfile");
      }
    }
    try {
      HttpResponse<byte[]> r = http.get().send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw CnaiException.failure(
            "component '" + component + "': " + from + " answered HTTP " + r.statusCode(),
            mirrored
                ? (r.statusCode() == 404 ? "check that the mirror holds the file (same path below the mirror as below the upstream)" : "check the mirror")
                : (r.statusCode() == 404 ? "check the URL in the lockfile" : "try again later, or use a mirror (--mirrors)"));
      }
      return r.body();
    } catch (IOException e) {
      throw CnaiException.failure(
          "component '" + component + "': cannot download " + from + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
          mirrored
              ? "check the mirror and the network to it; once cached by digest, the manifests are used offline"
              : "check the network, or use a mirror (--mirrors); once cached by digest, the manifests are used offline", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while downloading " + url, "run the command again");
    }
  }

  /** Where a remote base that no mirror covers is sent: a local path that does not exist. */
  static final String UNMIRRORED = "file:///cnai-unmirrored/";

  /**
   * Git configuration through the environment (GIT_CONFIG_COUNT/KEY_n/VALUE_n, git 2.31+, which
   * kustomize's git inherits): {@code url.<mirror>/.insteadOf <upstream>/} per mirror (git takes
   * the longest match, as the mirrors file does), and, once there are mirrors, http:// and https://
   * sent to {@link #UNMIRRORED} so that an uncovered remote base fails instead of reaching upstream.
   * Entries already in the environment are kept.
   */
  static void gitRewrites(Map<String, String> env, Map<String, String> mirrors) {
    if (mirrors.isEmpty()) {
      return;
    }
    int n;
    try {
      n = Integer.parseInt(env.getOrDefault("GIT_CONFIG_COUNT", "0").trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    Map<String, String> rules = new java.util.LinkedHashMap<>();
    rules.put("https://", UNMIRRORED + "https/");
    rules.put("http://", UNMIRRORED + "http/");
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(mirrors).entrySet()) {
      rules.put(slash(e.getKey()), slash(e.getValue()));
    }
    for (Map.Entry<String, String> r : rules.entrySet()) {
      env.put("GIT_CONFIG_KEY_" + n, "url." + r.getValue() + ".insteadOf");
      env.put("GIT_CONFIG_VALUE_" + n, r.getKey());
      n++;
    }
    env.put("GIT_CONFIG_COUNT", Integer.toString(n));
  }

  private static String slash(String location) {
    return location.endsWith("/") ? location : location + "/";
  }

  /** The upstream URL of a remote base that was sent to {@link #UNMIRRORED}, from git's error output; or null. */
  static String unmirrored(String stderr) {
    int i = stderr.indexOf("/cnai-unmirrored/");
    if (i < 0) {
      return null;
    }
    String rest = stderr.substring(i + "/cnai-unmirrored/".length());
    int end = 0;
    while (end < rest.length() && !Character.isWhitespace(rest.charAt(end)) && "'\"`".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    rest = rest.substring(0, end);
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash) + "://" + rest.substring(slash + 1);
  }

  /** The kustomize version installer/tools/build-kustomize.sh builds. */
  public static final String KUSTOMIZE_VERSION = "v5.7.1";

  /**
   * The kustomize binary: CNAI_KUSTOMIZE, else the one build-kustomize.sh put in the tools cache
   * (CNAI_TOOLS, default ~/.cache/cnai/tools), else 'kustomize' from PATH.
   */
  public static String kustomizeBinary() {
    String explicit = System.getenv("CNAI_KUSTOMIZE");
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    String tools = System.getenv("CNAI_TOOLS");
    Path base = tools != null && !tools.isBlank() ? Path.of(tools) : Path.of(System.getProperty("user.home"), ".cache", "cnai", "tools");
    Path built = base.resolve("kustomize").resolve(KUSTOMIZE_VERSION).resolve("kustomize");
    return Files.isExecutable(built) ? built.toString() : "kustomize";
  }

  /**
   * Runs 'kustomize build repo//path?ref=tag' with {@link #kustomizeBinary()}; {@code from} names
   * the base in errors (with the upstream it mirrors).
   */
  private byte[] kustomize(String component, Source.Kustomize k, String from) {
    String binary = kustomizeBinary();
    List<String> cmd = new ArrayList<>(List.of(binary, "build", k.repository() + "//" + k.path() + "?ref=" + k.ref()));
    try {
      Path out = Files.createTempFile("cnai-kustomize", ".yaml");
      Path err = Files.createTempFile("cnai-kustomize", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (!from.equals(k.reference())) {
          // fetched through a mirror: so are its nested remote bases, and nothing reaches upstream
          gitRewrites(pb.environment(), gitMirrors);
        }
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw CnaiException.failure("component '" + component + "': kustomize build did not finish in 10 minutes", "check the network");
        }
        if (p.exitValue() != 0) {
          String unmirrored = unmirrored(Files.readString(err));
          if (unmirrored != null) {
            throw CnaiException.failure(
                "component '" + component + "': kustomize build " + from + " pulls the remote base " + unmirrored
                    + ", which no entry of the mirrors file covers; git did not fetch it from upstream",
                "add a mirrors entry whose upstream is a prefix of " + unmirrored
                    + " (e.g. its organisation) and whose mirror holds that git repository with the same ref");
          }
          throw CnaiException.failure(
              "component '" + component + "': kustomize build " + from + " failed: " + Files.readString(err).strip(),
              from.equals(k.reference())
                  ? "check the repository, ref and path in the lockfile, and the network, or use a mirror (--mirrors)"
                  : "check that the mirror holds the git repository with the ref (same path below the mirror as below the upstream)");
        }
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw CnaiException.failure(
          "component '" + component + "' is a kustomize base, and its manifests are not cached: cannot run '" + binary + "' (" + e.getMessage() + ")",
          "build it with installer/tools/build-kustomize.sh (or set CNAI_KUSTOMIZE), or disable the component in the profile");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted while running kustomize", "run the command again");
    }
  }
}
