package io.cnai.installer.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Making a command's renderer starts no HTTP client: a JDK HTTP client loads the trust store and
 * keeps a selector thread in a native call, which holds up the JVM's exit by 300 ms; status and a
 * no-op upgrade download nothing.
 */
class RendererThreadsTest {
  private static long selectors() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().matches("HttpClient-\\d+-SelectorManager")).count();
  }

  @Test
  void theStandardRendererMakesNoHttpClientUntilItDownloads() {
    long before = selectors();
    StackRenderer r = Mirrors.from(null).renderer();
    assertThat(r).isNotNull();
    assertThat(selectors()).isLessThanOrEqualTo(before);
  }
}
