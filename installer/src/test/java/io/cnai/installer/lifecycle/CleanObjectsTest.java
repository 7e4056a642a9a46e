package io.cnai.installer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memo that lets a content comparison skip objects not written since they compared clean. */
class CleanObjectsTest {
  @TempDir Path cache;
  private String saved;

  @BeforeEach
  void useTempCache() {
    saved = System.getProperty("cnai.cache");
    System.setProperty("cnai.cache", cache.toString());
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty("cnai.cache");
    } else {
      System.setProperty("cnai.cache", saved);
    }
  }

  @Test
  void anObjectIsSkippedOnlyWhileNeitherItNorWhatItIsComparedWithChanged() {
    CleanObjects first = CleanObjects.of("https://127.0.0.1:6443");
    assertThat(first.clean("uid-a", "100", "sha256:d1")).as("nothing is known yet").isFalse();
    first.found("uid-a", "100", "sha256:d1");
    first.found("uid-b", "7", "sha256:d2");
    first.save();

    CleanObjects second = CleanObjects.of("https://127.0.0.1:6443");
    assertThat(second.clean("uid-a", "100", "sha256:d1")).isTrue();
    assertThat(second.clean("uid-b", "8", "sha256:d2")).as("written since (new resourceVersion)").isFalse();
    assertThat(second.clean("uid-a", "100", "sha256:other")).as("a new desired object").isFalse();
    assertThat(second.clean("uid-c", "100", "sha256:d1")).as("another object (recreated: new uid)").isFalse();
    assertThat(CleanObjects.of("https://10.0.0.1:6443").clean("uid-a", "100", "sha256:d1")).as("another cluster").isFalse();
    second.save();

    // only what the last check found clean is remembered: uid-b drifted and is forgotten
    CleanObjects third = CleanObjects.of("https://127.0.0.1:6443");
    assertThat(third.clean("uid-a", "100", "sha256:d1")).isTrue();
    assertThat(third.clean("uid-b", "7", "sha256:d2")).isFalse();
  }

  @Test
  void anUnreadableMemoMeansEverythingIsCompared() throws Exception {
    CleanObjects m = CleanObjects.of("https://127.0.0.1:6443");
    m.found("uid-a", "1", "sha256:d");
    m.save();
    try (var files = Files.list(cache.resolve("drift"))) {
      for (Path f : files.toList()) {
        Files.writeString(f, "{not json");
      }
    }
    assertThat(CleanObjects.of("https://127.0.0.1:6443").clean("uid-a", "1", "sha256:d")).isFalse();
  }
}
