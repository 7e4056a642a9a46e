package io.cnai.installer.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real browser (headless Chromium, Debian's package) opens a generated handout: the student's
 * name, namespace, URL and token are on the page as the browser parsed it, and a screenshot is
 * kept in {@code installer/target/classroom-browser/} as the test's artefact. Without Chromium the
 * test is reported as not run, with the reason.
 */
@Tag("browser")
class HandoutBrowserTest {
  static final Path ARTEFACTS = TestPaths.root().resolve("installer/target/classroom-browser");

  /** CNAI_CHROMIUM, else chromium or chromium-browser on the PATH; null when there is none. */
  static Path chromium() {
    String env = System.getenv("CNAI_CHROMIUM");
    if (env != null && !env.isBlank()) {
      return Files.isExecutable(Path.of(env)) ? Path.of(env) : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private static String run(Path chromium, Path profile, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(profile, "chromium", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(log.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 90 s: " + cmd);
    }
    assertThat(p.exitValue()).as("chromium %s: %s", cmd, Files.readString(log)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void chromiumShowsTheStudentsNameUrlAndToken() throws Exception {
    Path chromium = chromium();
    Assumptions.assumeTrue(chromium != null,
        "not run: headless Chromium is not installed (apt-get install chromium, or set CNAI_CHROMIUM to its path)");
    Files.createDirectories(ARTEFACTS);
    Path handouts = ARTEFACTS.resolve("handouts");
    new Handouts(HandoutsTest.lessons()).write(handouts, HandoutsTest.CLASS, null);
    Path profile = Files.createTempDirectory("cnai-chromium");
    try {
      String page = handouts.resolve("ada.html").toUri().toString();
      String dom = run(chromium, profile, "--dump-dom", page);
      assertThat(dom).as("the DOM as Chromium built it").contains("<span id=\"student-name\">ada</span>")
          .contains("href=\"http://class.lan/class-ada/lab\"").contains("<dd id=\"token\">tok-ada-123</dd>")
          .contains("<dd id=\"namespace\">class-ada</dd>").contains("The pod that comes back").doesNotContain("tok-grace-456");
      Path shot = ARTEFACTS.resolve("handout-ada.png");
      Files.deleteIfExists(shot);
      run(chromium, profile, "--screenshot=" + shot, "--window-size=1000,1400", "--hide-scrollbars", page);
      assertThat(shot).exists();
      byte[] png = Files.readAllBytes(shot);
      assertThat(png.length).as("a real picture, not an empty file").isGreaterThan(10_000);
      assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");

      String guide = run(chromium, profile, "--dump-dom", handouts.resolve(Handouts.FACILITATOR).toUri().toString());
      assertThat(guide).contains("tok-grace-456").contains("cnai classroom status");
      run(chromium, profile, "--screenshot=" + ARTEFACTS.resolve("facilitator.png"), "--window-size=1200,1600",
          handouts.resolve(Handouts.FACILITATOR).toUri().toString());
    } finally {
      try (var walk = Files.walk(profile)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
