package io.cnai.conformance;

import io.cnai.conformance.product.VendorCheck;
import io.cnai.conformance.template.Template;
import io.cnai.conformance.template.TemplateParser;
import io.cnai.conformance.template.Templates;
import io.cnai.core.CnaiException;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the conformance image ({@code cnai conformance run --in-cluster}): runs the
 * suite with the pod's service account, writes the reports into {@code --output-dir}, then the
 * exit code ({@value #EXIT_CODE}) and, last, the marker {@value #DONE} (the pod's readiness probe
 * looks for it, so that cnai waits by watching, then copies the folder out). It then stays up for
 * {@code --linger} seconds for the copy, and exits with the run's exit code; cnai deletes the Job
 * once it has the reports.
 *
 * <p>Template, product file and vendor verdict come from outside: cnai read and checked them before
 * applying anything, and hands them over in a ConfigMap, so the pod needs no network beyond the API
 * server.
 */
public final class InCluster {
  /** Written last, once every report is in place. */
  public static final String DONE = ".done";
  /** The run's exit code (0, 1, 2), as text. */
  public static final String EXIT_CODE = "exit-code";
  /** What the run printed: the summary, or the error. */
  public static final String SUMMARY = "summary.txt";

  private InCluster() {}

  public static void main(String[] args) {
    Map<String, String> a = parse(args);
    Path out = Path.of(a.getOrDefault("--output-dir", "/cnai/out"));
    long linger = Long.parseLong(a.getOrDefault("--linger", "0"));
    int code;
    String text;
    try {
      ConformanceResult r = run(a, out);
      code = r.exitCode();
      text = r.summary();
    } catch (CnaiException e) {
      code = e.exitCode();
      text = "error: " + e.getMessage() + "\n";
    } catch (IOException | RuntimeException | Error e) {
      code = 1;
      StringWriter w = new StringWriter();
      e.printStackTrace(new PrintWriter(w));
      text = "error: the in-cluster run failed: " + w;
    }
    System.out.print(text);
    System.out.flush();
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve(SUMMARY), text, StandardCharsets.UTF_8);
      Files.writeString(out.resolve(EXIT_CODE), Integer.toString(code), StandardCharsets.UTF_8);
      Files.writeString(out.resolve(DONE), "", StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("error: cannot write " + out + ": " + e.getMessage());
      System.exit(1);
    }
    try {
      Thread.sleep(linger * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(code);
  }

  static ConformanceResult run(Map<String, String> a, Path out) throws IOException {
    Path templateFile = Path.of(required(a, "--template"));
    Template template = TemplateParser.parse(a.getOrDefault("--template-source", templateFile.toString()),
        Files.readAllBytes(templateFile));
    VendorCheck.Verdict verdict = new VendorCheck.Verdict(
        VendorCheck.Verdict.Kind.valueOf(a.getOrDefault("--vendor", "UNKNOWN")),
        a.getOrDefault("--vendor-detail", "not checked"));
    Path product = a.containsKey("--product") ? Path.of(a.get("--product")) : null;
    Submission sub = new Submission(templateFile.toString(), null, product, Templates.defaults(), name -> verdict);
    Path releases = a.containsKey("--releases") && Files.isDirectory(Path.of(a.get("--releases")))
        ? Path.of(a.get("--releases")) : null;
    ConformanceOptions o = new ConformanceOptions(null, null, a.get("--tags"), out, releases, Clock.systemUTC(), sub);
    return ConformanceRunner.runInCluster(o, Config.autoConfigure(null), template);
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    List<String> l = List.of(args);
    for (int i = 0; i < l.size(); i++) {
      String k = l.get(i);
      if (!k.startsWith("--") || i + 1 >= l.size()) {
        throw new IllegalArgumentException("usage: InCluster --output-dir DIR --template FILE [--template-source S] "
            + "[--product FILE] [--tags EXPR] [--releases DIR] [--vendor MEMBER|UNKNOWN] [--vendor-detail T] [--linger S]");
      }
      m.put(k, l.get(++i));
    }
    return m;
  }

  private static String required(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw CnaiException.badInput("the in-cluster runner was started without " + key, "start it through cnai conformance run --in-cluster");
    }
    return v;
  }
}
