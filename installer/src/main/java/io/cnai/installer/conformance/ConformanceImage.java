package io.cnai.installer.conformance;

import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.InCluster;
import io.cnai.core.CnaiException;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The conformance image, made from this machine without a container engine and without pulling
 * anything: a Java runtime cut by {@code jlink} from the running JDK to the modules the suite uses,
 * the shared libraries that runtime loads (the {@code ldd} closure of its binaries, copied from this
 * machine at their paths), the conformance module with its runtime dependencies (taken off this
 * JVM's class path: no Helm, no installer), and the distribution lockfiles, on cnai's busybox base
 * (which brings {@code tar} for copying the reports out and {@code test} for the readiness probe).
 *
 * <p>Everything is staged once per content under {@code cache} ({@code ~/.cache/cnai/conformance-image}),
 * so that a second build hands the image builder the same files and it reuses its cached layers.
 */
public final class ConformanceImage {
  /**
   * The modules the suite loads: what {@code jdeps -s} finds over the conformance module's class path
   * (java.desktop and java.instrument left out: optional for jackson and vert.x), plus TLS with EC
   * keys, plus what Cucumber's scanning needs and jdeps does not see. Measured: without java.compiler
   * Cucumber finds no feature (it checks class names with {@code javax.lang.model}), without
   * jdk.zipfs none in a jar (a packaged cnai); the run then says "no scenario matches".
   */
  public static final List<String> MODULES = List.of("java.base", "java.compiler", "java.logging", "java.management",
      "java.naming", "java.net.http", "java.sql", "java.xml", "jdk.crypto.ec", "jdk.unsupported", "jdk.zipfs");
  public static final String JRE = "/opt/cnai/jre";
  public static final String LIB = "/opt/cnai/lib";
  public static final String APP = "/opt/cnai/app";
  public static final String RELEASES = "/opt/cnai/releases";
  static final String DEPENDENCIES = "/io/cnai/conformance/runtime-dependencies.txt";
  private static final Pattern LISTED = Pattern.compile("^\\s*([^:\\s]+):([^:\\s]+):jar(?::[^:\\s]+)?:([^:\\s]+):(compile|runtime)\\b.*$");
  private static final Pattern LDD = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");

  private final Path cache;

  public ConformanceImage(Path cache) {
    this.cache = cache.toAbsolutePath();
  }

  /** {@code $XDG_CACHE_HOME/cnai/conformance-image} or {@code ~/.cache/cnai/conformance-image}. */
  public static ConformanceImage fromEnvironment() {
    return new ConformanceImage(io.cnai.installer.images.JibImageBuilder.cacheBase().resolve("cnai").resolve("conformance-image"));
  }

  /**
   * The image: name {@code name}, the runtime, its libraries, the suite's class path and the
   * lockfiles under {@code releases} (null: none; the stack-versus-lock check then does not run).
   */
  public ImageSpec spec(ImageRef name, Path releases) {
    Path jre = runtime();
    Path sysroot = libraries(jre);
    Staged app = classPath();
    List<ImageSpec.Layer> layers = new ArrayList<>();
    // a layer per top folder of the libraries' root (lib, lib64, usr): jib cannot add "/" itself
    try (Stream<Path> tops = Files.list(sysroot)) {
      tops.sorted().forEach(top -> layers.add(new ImageSpec.Layer(top, "/" + top.getFileName())));
    } catch (IOException e) {
      throw CnaiException.failure("cannot read " + sysroot + ": " + e.getMessage(), "delete " + cache + " and run again", e);
    }
    layers.add(new ImageSpec.Layer(jre, JRE));
    layers.add(new ImageSpec.Layer(app.libs(), LIB));
    layers.add(new ImageSpec.Layer(app.own(), APP));
    if (releases != null && Files.isDirectory(releases)) {
      layers.add(new ImageSpec.Layer(releases, RELEASES));
    }
    List<String> entry = new ArrayList<>(List.of(JRE + "/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Xss1m", "-XX:MaxRAMPercentage=50", "-Djava.io.tmpdir=/tmp", "-cp", app.classPath(), InCluster.class.getName()));
    return ImageSpec.of(name, ImageSpec.Base.busybox())
        .withLayers(layers)
        .withEntrypoint(entry)
        .withEnv(Map.of("LD_LIBRARY_PATH", "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib", "HOME", "/tmp"))
        .withLabels(Map.of("org.opencontainers.image.title", "cnai conformance",
            "org.opencontainers.image.description", "cnai's AI Conformance suite, run in the cluster by cnai conformance run --in-cluster"));
  }

  // ---------------------------------------------------------------------------------------------
  // the Java runtime

  /** {@code jlink} of {@link #MODULES} from the running JDK, made once per JDK. */
  Path runtime() {
    Path home = Path.of(System.getProperty("java.home"));
    Path jlink = home.resolve("bin/jlink");
    if (!Files.isExecutable(jlink)) {
      throw CnaiException.badInput("the conformance image needs jlink, and " + home + " has none (a JRE, not a JDK)",
          "run cnai with a JDK 17 (JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64, package openjdk-17-jdk-headless)");
    }
    String key = hash(home + "\n" + System.getProperty("java.runtime.version") + "\n" + String.join(",", MODULES)).substring(0, 16);
    Path out = cache.resolve("jre-" + key);
    if (Files.isDirectory(out)) {
      touch(out);
      return out;
    }
    Path tmp = cache.resolve("jre-" + key + ".tmp-" + ProcessHandle.current().pid());
    deleteTree(tmp);
    mkdirs(cache);
    Result r = exec(List.of(jlink.toString(), "--add-modules", String.join(",", MODULES), "--strip-debug",
        "--no-header-files", "--no-man-pages", "--compress=2", "--output", tmp.toString()), 300);
    if (!r.ok()) {
      deleteTree(tmp);
      throw CnaiException.failure("jlink could not make the conformance image's Java runtime: " + r.output().strip(),
          "check the JDK at " + home);
    }
    move(tmp, out);
    return out;
  }

  /**
   * The shared libraries the runtime's binaries and libraries load, as {@code ldd} finds them on
   * this machine, copied to the same paths under a root ({@code lib/x86_64-linux-gnu/...},
   * {@code lib64/ld-linux-x86-64.so.2}); made once per runtime.
   */
  Path libraries(Path jre) {
    Path out = Path.of(jre + "-sysroot");
    if (Files.isDirectory(out)) {
      touch(out);
      return out;
    }
    Set<String> needed = new TreeSet<>();
    List<Path> binaries = new ArrayList<>();
    try (Stream<Path> s = Files.walk(jre)) {
      s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".so") || p.getParent().getFileName().toString().equals("bin"))
          .forEach(binaries::add);
    } catch (IOException e) {
      throw CnaiException.failure("cannot read the runtime " + jre + ": " + e.getMessage(), "delete " + cache + " and run again", e);
    }
    for (Path b : binaries) {
      Result r = exec(List.of("ldd", b.toString()), 60);
      for (String line : r.output().split("\n")) {
        Matcher m = LDD.matcher(line);
        if (m.matches() && !m.group(1).startsWith(jre.toString())) {
          needed.add(m.group(1));
        }
      }
    }
    if (needed.stream().noneMatch(n -> n.contains("ld-linux") || n.contains("ld-musl"))) {
      throw CnaiException.failure("ldd found no dynamic loader for " + jre.resolve("bin/java") + " (found: " + needed + ")",
          "the conformance image is made on Linux with glibc (e.g. Debian); check that ldd is installed");
    }
    Path tmp = Path.of(out + ".tmp-" + ProcessHandle.current().pid());
    deleteTree(tmp);
    try {
      for (String n : needed) {
        Path to = tmp.resolve(n.substring(1));
        Files.createDirectories(to.getParent());
        Files.copy(Path.of(n), to, StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException e) {
      deleteTree(tmp);
      throw CnaiException.failure("cannot copy the runtime's libraries: " + e.getMessage(), "check " + cache, e);
    }
    move(tmp, out);
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // the suite's class path

  /**
   * What the image's class path holds, staged under the cache.
   *
   * @param libs third-party jars (one layer: changes with dependency upgrades)
   * @param own cnai's own modules (one layer: changes with every build)
   * @param classPath the class path inside the image
   */
  record Staged(Path libs, Path own, String classPath) {}

  /**
   * The conformance module, the distro module, and the jars of the conformance module's runtime
   * dependencies ({@value #DEPENDENCIES}, written by the build) as this JVM has them on its class
   * path. Nothing else: the installer, Helm's native library and the signing libraries stay out.
   */
  Staged classPath() {
    Set<String> artifacts = artifacts();
    List<Path> own = new ArrayList<>(List.of(codeSource(ConformanceRunner.class), codeSource(CnaiException.class)));
    List<Path> libs = new ArrayList<>();
    Set<String> found = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
      if (e.isBlank()) {
        continue;
      }
      Path p = Path.of(e).toAbsolutePath().normalize();
      if (own.contains(p) || !Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
        continue;
      }
      String file = p.getFileName().toString();
      for (String a : artifacts) {
        if (file.startsWith(a + "-") && file.length() > a.length() + 1 && Character.isDigit(file.charAt(a.length() + 1))) {
          libs.add(p);
          found.add(a);
          break;
        }
      }
    }
    Set<String> missing = new TreeSet<>(artifacts);
    missing.removeAll(found);
    missing.remove("cnai-distro");
    if (!missing.isEmpty()) {
      throw CnaiException.failure("the conformance image needs jars that are not on cnai's class path: " + missing,
          "rebuild cnai (./mvnw -q -DskipTests package) so that installer/target/lib has every dependency");
    }
    StringBuilder key = new StringBuilder();
    for (Path p : libs) {
      key.append(p).append(' ').append(size(p)).append(' ').append(mtime(p)).append('\n');
    }
    Path libsDir = cache.resolve("libs-" + hash(key.toString()).substring(0, 16));
    touch(libsDir);
    if (!Files.isDirectory(libsDir)) {
      Path tmp = Path.of(libsDir + ".tmp-" + ProcessHandle.current().pid());
      deleteTree(tmp);
      try {
        Files.createDirectories(tmp);
        for (Path p : libs) {
          Files.copy(p, tmp.resolve(p.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
      } catch (IOException e) {
        deleteTree(tmp);
        throw CnaiException.failure("cannot stage the conformance image's jars: " + e.getMessage(), "check " + cache, e);
      }
      move(tmp, libsDir);
    }
    // cnai's own modules: jars (a packaged cnai) or class folders (a build tree, the tests)
    StringBuilder ownKey = new StringBuilder();
    for (Path p : own) {
      ownKey.append(p).append(' ').append(treeStamp(p)).append('\n');
    }
    Path ownDir = cache.resolve("app-" + hash(ownKey.toString()).substring(0, 16));
    List<String> cp = new ArrayList<>(List.of(LIB + "/*"));
    for (int i = 0; i < own.size(); i++) {
      Path p = own.get(i);
      cp.add(Files.isDirectory(p) ? APP + "/m" + i : APP + "/m" + i + ".jar");
    }
    touch(ownDir);
    if (!Files.isDirectory(ownDir)) {
      Path tmp = Path.of(ownDir + ".tmp-" + ProcessHandle.current().pid());
      deleteTree(tmp);
      try {
        Files.createDirectories(tmp);
        for (int i = 0; i < own.size(); i++) {
          Path p = own.get(i);
          copyTree(p, tmp.resolve(Files.isDirectory(p) ? "m" + i : "m" + i + ".jar"));
        }
      } catch (IOException e) {
        deleteTree(tmp);
        throw CnaiException.failure("cannot stage cnai's conformance classes: " + e.getMessage(), "check " + cache, e);
      }
      move(tmp, ownDir);
    }
    return new Staged(libsDir, ownDir, String.join(":", cp));
  }

  /** artifactIds of the conformance module's runtime dependencies, as the build listed them. */
  static Set<String> artifacts() {
    Set<String> out = new TreeSet<>();
    try (InputStream in = ConformanceRunner.class.getResourceAsStream(DEPENDENCIES.substring("/io/cnai/conformance/".length()))) {
      if (in == null) {
        throw CnaiException.failure("cnai's conformance module has no " + DEPENDENCIES + " (written by its build)",
            "rebuild cnai: ./mvnw -q -DskipTests package");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        Matcher m = LISTED.matcher(line);
        if (m.matches()) {
          out.add(m.group(2));
        }
      }
    } catch (IOException e) {
      throw CnaiException.failure("cannot read " + DEPENDENCIES + ": " + e.getMessage(), "rebuild cnai", e);
    }
    return out;
  }

  static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
    } catch (URISyntaxException | RuntimeException e) {
      throw CnaiException.failure("cannot find where " + c.getName() + " is loaded from: " + e.getMessage(), "rebuild cnai", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // commands and files

  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  static Result exec(List<String> cmd, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(124, new String(out, StandardCharsets.UTF_8) + " (timed out after " + timeoutSeconds + " s)");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(127, cmd.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    }
  }

  /**
   * Marks a staged folder as used now (pruning keeps what was used within a day): a file beside it,
   * since the folder's own time is part of what the image builder's layer cache compares.
   */
  private static void touch(Path dir) {
    try {
      Path mark = Path.of(dir + ".used");
      if (Files.exists(mark)) {
        Files.setLastModifiedTime(mark, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
      } else if (Files.isDirectory(dir.getParent())) {
        Files.createFile(mark);
      }
    } catch (IOException e) {
      // best effort
    }
  }

  private static long used(Path dir) {
    Path mark = Path.of(dir + ".used");
    return Files.exists(mark) ? mtime(mark) : mtime(dir);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  private static long mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Paths, sizes and times of every file under {@code root}, hashed: changes when a class is rebuilt. */
  private static String treeStamp(Path root) {
    if (Files.isRegularFile(root)) {
      return size(root) + "-" + mtime(root);
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile).sorted().forEach(p -> sb.append(root.relativize(p)).append(' ').append(size(p))
          .append(' ').append(mtime(p)).append('\n'));
    } catch (IOException e) {
      return "unreadable";
    }
    return hash(sb.toString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (Files.isRegularFile(from)) {
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void mkdirs(Path p) {
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw CnaiException.failure("cannot create " + p + ": " + e.getMessage(), "check that it is writable", e);
    }
  }

  private void move(Path tmp, Path to) {
    prune(to);
    try {
      Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // another cnai made it meanwhile: use theirs
      deleteTree(tmp);
      if (!Files.isDirectory(to)) {
        throw CnaiException.failure("cannot store " + to + ": " + e.getMessage(), "check that " + cache + " is writable", e);
      }
    }
  }

  /**
   * Removes staged folders of the same kind as {@code made} (jre-, jre-...-sysroot, libs-, app-)
   * that no build used for a day: each build of cnai stages its own classes, and the cache would
   * otherwise keep them all. Recent ones stay (another cnai may be building from them).
   */
  private void prune(Path made) {
    String name = made.getFileName().toString();
    String kind = name.substring(0, name.indexOf('-') + 1);
    boolean sysroot = name.endsWith("-sysroot");
    long dayAgo = System.currentTimeMillis() - 24L * 3600 * 1000;
    try (Stream<Path> s = Files.list(cache)) {
      s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(kind) && n.endsWith("-sysroot") == sysroot && !n.contains(".tmp-") && !n.endsWith(".used")
            && !p.equals(made) && used(p) < dayAgo;
      }).forEach(p -> {
        deleteTree(p);
        deleteTree(Path.of(p + ".used"));
      });
    } catch (IOException e) {
      // best effort
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  static String hash(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
