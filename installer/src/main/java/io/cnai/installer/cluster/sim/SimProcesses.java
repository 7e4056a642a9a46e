package io.cnai.installer.cluster.sim;

import io.cnai.core.CnaiException;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Starts, watches and stops the processes of one sim cluster. Each process runs in a session of its
 * own (setsid), with its output in a log file, so that it outlives the cnai process that started
 * it; what is needed to find it again (pid record, command line, health URL) is written under the
 * cluster's {@link SimLayout}. A process that dies while cnai waits for it is reported with the
 * tail of its log.
 */
final class SimProcesses {
  static final int TAIL_LINES = 25;
  private static final Duration POLL = Duration.ofMillis(150);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final SimLayout layout;
  private final Clock clock;
  private final String clusterName;
  private final String provider;
  private HttpClient http;

  SimProcesses(SimLayout layout, String clusterName, Clock clock) {
    this(layout, clusterName, clock, "sim");
  }

  /** For a cluster of another provider that uses this control plane ({@code local}). */
  SimProcesses(SimLayout layout, String clusterName, Clock clock, String provider) {
    this.layout = layout;
    this.clusterName = clusterName;
    this.clock = clock;
    this.provider = provider;
  }

  /** Writes down how to run the component, so that it can be restarted by any later process. */
  void define(SimComponent c, List<String> argv, URI health) throws IOException {
    define(c.id(), argv, health);
  }

  /**
   * The same for any process by id. {@code health} is an http(s) URL that answers 200 once the
   * process is ready, or a {@code file:} URI of a file (a socket) that it creates when ready.
   */
  void define(String c, List<String> argv, URI health) throws IOException {
    Files.createDirectories(layout.run());
    SimPki.writeText(layout.args(c), String.join("\n", argv) + "\n", false);
    SimPki.writeText(layout.health(c), health + "\n", false);
  }

  /** Starts the component as defined and waits until its health URL answers 200. */
  void start(SimComponent c, Duration timeout) {
    start(c.id(), timeout);
  }

  void start(String c, Duration timeout) {
    List<String> argv = readLines(layout.args(c));
    URI health = URI.create(readLines(layout.health(c)).get(0));
    if (running(c).isPresent()) {
      throw CnaiException.failure(
          c + " of cluster '" + clusterName + "' is already running", null);
    }
    List<String> cmd = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      cmd.add(setsid.toString());
    }
    cmd.addAll(argv);
    Process p;
    try {
      Files.createDirectories(layout.logs());
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(layout.root().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log(c).toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      appendLog(c, "---- cnai: starting " + c + " at " + clock.instant());
      p = pb.start();
      ProcessRecord.of(p.toHandle(), binary(argv)).write(layout.pid(c));
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot start " + c + " (" + binary(argv) + "): " + e.getMessage(),
          "check that the binary exists and runs: " + SimBinaries.BUILD_HINT,
          e);
    }
    awaitHealthy(c, p, health, timeout);
  }

  /**
   * The binary the process ends up running: the command after the wrappers that exec it
   * ({@code nsenter --net=... -- kubelet ...} is recorded as the kubelet).
   */
  static String binary(List<String> argv) {
    if (argv.get(0).endsWith("/nsenter")) {
      int dashes = argv.indexOf("--");
      if (dashes >= 0 && dashes + 1 < argv.size()) {
        return argv.get(dashes + 1);
      }
    }
    return argv.get(0);
  }

  private void awaitHealthy(String c, Process p, URI health, Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    String last = "no answer yet";
    while (true) {
      if (!p.isAlive()) {
        throw died(c, "exited with status " + p.exitValue() + " while starting");
      }
      if ("file".equals(health.getScheme())) {
        if (Files.exists(Path.of(health))) {
          return;
        }
        last = Path.of(health) + " does not exist yet";
      } else try {
        HttpResponse<String> r =
            http().send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode() + ": " + firstLines(r.body(), 6);
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CnaiException.failure("interrupted while waiting for " + c, null, e);
      }
      if (clock.instant().isAfter(deadline)) {
        throw died(c, "did not become healthy within " + timeout.toSeconds() + "s at " + health + " (" + last + ")");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CnaiException.failure("interrupted while waiting for " + c, null, e);
      }
    }
  }

  /** A FAILURE naming the component, with the tail of its log and where the whole log is. */
  CnaiException died(SimComponent c, String what) {
    return died(c.id(), what);
  }

  CnaiException died(String c, String what) {
    return CnaiException.failure(
        c + " of " + provider + " cluster '" + clusterName + "' " + what + "; last lines of its log:\n"
            + indent(tail(c, TAIL_LINES)),
        "the whole log is " + layout.log(c) + "; remove the cluster with: cnai cluster delete --provider " + provider + " --name " + clusterName);
  }

  /** The running process of the component, if the recorded one still runs. */
  Optional<ProcessHandle> running(SimComponent c) {
    return running(c.id());
  }

  Optional<ProcessHandle> running(String c) {
    return ProcessRecord.read(layout.pid(c)).flatMap(ProcessRecord::live);
  }

  /** Stops the component: SIGTERM, then SIGKILL after a grace period. */
  void stop(SimComponent c) {
    stop(c.id());
  }

  void stop(String c) {
    running(c).ifPresent(SimProcesses::terminate);
    try {
      Files.deleteIfExists(layout.pid(c));
    } catch (IOException e) {
      // the record is harmless once its process is gone
    }
  }

  /** Kills the component (SIGKILL) as a crash would, keeping its record. */
  void kill(SimComponent c) {
    kill(c.id());
  }

  void kill(String c) {
    running(c).ifPresent(h -> {
      h.destroyForcibly();
      awaitGone(h, STOP_GRACE);
    });
  }

  /** Stops every process that still runs, newest first. */
  void stopAll() {
    List<SimComponent> order = new ArrayList<>(List.of(SimComponent.values()));
    java.util.Collections.reverse(order);
    for (SimComponent c : order) {
      stop(c);
    }
    // Processes that run with this cluster's files but have no record (cnai killed between start
    // and record) are found by their command lines.
    String marker = layout.root().toAbsolutePath() + File.separator;
    ProcessHandle.allProcesses()
        .filter(h -> h.pid() != ProcessHandle.current().pid())
        .filter(h -> h.info().arguments().map(a -> references(a, marker)).orElse(false))
        .forEach(SimProcesses::terminate);
  }

  private static boolean references(String[] args, String marker) {
    for (String a : args) {
      if (a.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  static void terminate(ProcessHandle h) {
    h.destroy();
    if (!awaitGone(h, STOP_GRACE)) {
      h.destroyForcibly();
      awaitGone(h, Duration.ofSeconds(5));
    }
  }

  /** Waits for a process to exit; also works for processes that are not this JVM's children. */
  private static boolean awaitGone(ProcessHandle h, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!ProcessRecord.gone(h)) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        h.onExit().get(100, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // look again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ProcessRecord.gone(h);
      } catch (java.util.concurrent.ExecutionException e) {
        return ProcessRecord.gone(h);
      }
    }
    return true;
  }

  /** The last lines of the component's log. */
  String tail(SimComponent c, int lines) {
    return tail(c.id(), lines);
  }

  String tail(String c, int lines) {
    Path log = layout.log(c);
    if (!Files.isRegularFile(log)) {
      return "(no log at " + log + ")";
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      int size = (int) Math.min(len, 64 * 1024);
      byte[] buf = new byte[size];
      f.seek(len - size);
      f.readFully(buf);
      String[] all = new String(buf, StandardCharsets.UTF_8).split("\n");
      int from = Math.max(0, all.length - lines);
      return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private void appendLog(String c, String line) throws IOException {
    Files.writeString(
        layout.log(c),
        line + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private HttpClient http() {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              // HTTP/1.1: the Go servers answer a reused HTTP/2 probe connection with GOAWAY
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(trusting(layout.pki().resolve("ca.crt")))
              .connectTimeout(Duration.ofSeconds(2))
              .build();
    }
    return http;
  }

  /** An SSL context that trusts exactly the cluster's CA. */
  static SSLContext trusting(Path caPem) {
    try (var in = Files.newInputStream(caPem)) {
      X509Certificate ca =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw CnaiException.failure("cannot load the cluster CA " + caPem + ": " + e.getMessage(), null, e);
    }
  }

  private static List<String> readLines(Path p) {
    try {
      return Files.readAllLines(p).stream().filter(l -> !l.isEmpty()).toList();
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot read " + p + ": " + e.getMessage(),
          "the cluster's state is incomplete; delete it and create it again",
          e);
    }
  }

  private static String firstLines(String s, int n) {
    String[] l = s.split("\n");
    return String.join(" | ", java.util.Arrays.copyOf(l, Math.min(n, l.length)));
  }

  private static String indent(String s) {
    return "    " + s.replace("\n", "\n    ");
  }
}
