package io.cnai.installer.e2e;

import io.cnai.core.CnaiException;
import io.cnai.installer.classroom.JupyterLabImage;
import io.cnai.installer.images.BuiltImage;
import io.cnai.installer.kube.Workloads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What {@code cnai up} does around the starter release (distro/starter): its two images pushed to
 * the cluster's registry before the install, JupyterLab's token made once and kept in a Secret, and,
 * afterwards, a check that JupyterLab answers with that token through its NodePort.
 */
public final class Starter {
  public static final String JUPYTER_SECRET = "jupyterlab-token";
  public static final int JUPYTER_NODE_PORT = 30888;

  private Starter() {}

  /** Stages and pushes the sample-pipelines and JupyterLab images to {@code registry}, saying how long each took. */
  public static void pushImages(Path root, String registry, Consumer<String> say) {
    long t0 = System.nanoTime();
    Path sample = SampleImage.stage(root, say);
    say.accept("image: pushing cnai.local/sample-pipelines:0.1.0 to " + registry + " (the first time compresses about 6.6 GB: minutes)");
    report(SampleImage.push(sample, registry), t0, say);
    t0 = System.nanoTime();
    Path jupyter = JupyterLabImage.stage(root, say);
    say.accept("image: pushing the JupyterLab image to " + registry);
    report(JupyterLabImage.push(jupyter, registry), t0, say);
  }

  private static void report(BuiltImage built, long t0, Consumer<String> say) {
    say.accept(String.format(Locale.ROOT, "image: %s, %d layers, %.1f MiB, in %.1f s", built.reference(), built.layers(),
        built.bytes() / 1048576.0, (System.nanoTime() - t0) / 1e9));
  }

  /** JupyterLab's token: the one in Secret cnai-starter/jupyterlab-token, made (random, 24 bytes) when missing. */
  public static String jupyterToken(Workloads w) {
    return w.secretValue(E2eRunner.STARTER_NAMESPACE, JUPYTER_SECRET, "token", () -> {
      byte[] b = new byte[24];
      new SecureRandom().nextBytes(b);
      return HexFormat.of().formatHex(b);
    }, Workloads.labels("app.kubernetes.io/managed-by", "cnai", "app.kubernetes.io/part-of", "cnai-starter"));
  }

  /**
   * Asks JupyterLab at {@code http://node:30888} for its status with {@code token}, and once without
   * one: a failure unless the first answers 200 and the second is refused (403/401).
   */
  public static String checkJupyter(String node, String token, Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI status = URI.create("http://" + node + ":" + JUPYTER_NODE_PORT + "/api/status");
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        int with = http.send(HttpRequest.newBuilder(status).header("Authorization", "token " + token).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        int without = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (with == 200 && (without == 403 || without == 401)) {
          return "JupyterLab answers with its token (HTTP 200) and refuses a request without one (HTTP " + without + ")";
        }
        last = "with the token HTTP " + with + ", without HTTP " + without;
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw CnaiException.failure("JupyterLab at " + status + " did not answer as expected within " + timeout.toSeconds() + " s: " + last,
        "see 'kubectl -n " + E2eRunner.STARTER_NAMESPACE + " logs deploy/jupyterlab'");
  }
}
