package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.TestPaths;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes into the conformance image, made from this machine: a jlink runtime of the listed
 * modules, the libraries it loads at their paths (the dynamic loader among them), the conformance
 * module's jars and nothing of the installer (no Helm, JGit, sigstore), and an entrypoint that
 * starts the in-cluster runner. A second call stages nothing new.
 */
class ConformanceImageTest {
  @TempDir Path cache;

  @Test
  void theImageHoldsARuntimeItsLibrariesAndTheSuitesJarsOnly() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(System.getProperty("java.home"), "bin", "jlink")),
        "not run: the conformance image needs a JDK's jlink");
    ConformanceImage images = new ConformanceImage(cache);
    long t0 = System.nanoTime();
    ImageSpec spec = images.spec(ImageRef.parse("cnai.local/cnai-conformance:test"), TestPaths.root().resolve("distro/releases"));
    long t1 = System.nanoTime();
    System.out.printf("[conformance-image] staged in %d ms%n", (t1 - t0) / 1_000_000);

    assertThat(spec.base().kind()).isEqualTo(ImageSpec.Base.Kind.BUSYBOX);
    assertThat(spec.layers()).extracting(ImageSpec.Layer::to)
        .contains("/lib64", ConformanceImage.JRE, ConformanceImage.LIB, ConformanceImage.APP, ConformanceImage.RELEASES);
    Path jre = layer(spec, ConformanceImage.JRE);
    assertThat(jre.resolve("bin/java")).isExecutable();
    assertThat(Files.readString(jre.resolve("release"))).contains("MODULES=").contains("java.base").contains("jdk.zipfs")
        .doesNotContain("java.desktop").doesNotContain("jdk.jshell");
    assertThat(layer(spec, "/lib64").resolve("ld-linux-x86-64.so.2")).isRegularFile();
    Path sysLib = spec.layers().stream().filter(l -> l.to().equals("/lib") || l.to().equals("/usr")).map(ImageSpec.Layer::from)
        .findFirst().orElseThrow();
    try (Stream<Path> s = Files.walk(sysLib)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).contains("libc.so.6", "libz.so.1", "libstdc++.so.6");
    }
    List<String> jars;
    try (Stream<Path> s = Files.list(layer(spec, ConformanceImage.LIB))) {
      jars = s.map(p -> p.getFileName().toString()).toList();
    }
    assertThat(jars).anyMatch(j -> j.startsWith("kubernetes-client-7")).anyMatch(j -> j.startsWith("cucumber-core-"))
        .anyMatch(j -> j.startsWith("junit-platform-launcher-")).anyMatch(j -> j.startsWith("vertx-core-"))
        .noneMatch(j -> j.contains("helm") || j.contains("jgit") || j.contains("sigstore") || j.contains("jib")
            || j.startsWith("cnai-installer"));
    assertThat(spec.entrypoint()).startsWith(ConformanceImage.JRE + "/bin/java").endsWith("io.cnai.conformance.InCluster");
    // cnai's own modules: class folders in a build tree, jars once packaged (a reactor's verify)
    assertThat(spec.entrypoint()).containsAnyOf(
        ConformanceImage.LIB + "/*:" + ConformanceImage.APP + "/m0:" + ConformanceImage.APP + "/m1",
        ConformanceImage.LIB + "/*:" + ConformanceImage.APP + "/m0.jar:" + ConformanceImage.APP + "/m1.jar");

    List<String> staged;
    try (Stream<Path> s = Files.list(cache)) {
      staged = s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".used")).sorted().toList();
    }
    ImageSpec again = images.spec(ImageRef.parse("cnai.local/cnai-conformance:test"), TestPaths.root().resolve("distro/releases"));
    System.out.printf("[conformance-image] again in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
    assertThat(again).isEqualTo(spec);
    try (Stream<Path> s = Files.list(cache)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".used")).sorted().toList())
          .as("nothing staged again").isEqualTo(staged);
    }
  }

  private static Path layer(ImageSpec spec, String to) {
    return spec.layers().stream().filter(l -> l.to().equals(to)).map(ImageSpec.Layer::from).findFirst().orElseThrow();
  }
}
