package io.cnai.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file of the bad-lockfile corpus is refused as bad input with its own message. */
class BadLockfileCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/bad-lockfiles");

  static Stream<Path> corpus() throws IOException {
    return cases(CORPUS);
  }

  static Stream<Path> cases(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      return files.stream();
    }
  }

  @Test
  void corpusIsLargeEnough() throws IOException {
    assertThat(corpus().count()).isGreaterThanOrEqualTo(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void refusedWithItsMessage(Path file) throws IOException {
    String expected = Files.readString(Path.of(file.toString().replaceFirst("\\.yaml$", ".expect"))).strip();
    CnaiException e = catchThrowableOfType(CnaiException.class, () -> DistributionLoader.load(file));
    assertThat(e).as("lockfile %s must be refused", file).isNotNull();
    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
    assertThat(e.getMessage()).contains(expected);
    assertThat(e.location()).isNotNull();
    assertThat(e.location().file()).isEqualTo(file.toString());
    boolean wholeFile = expected.startsWith("is empty") || expected.startsWith("is a binary");
    if (!wholeFile) {
      assertThat(e.location().line()).as("line of %s", e.getMessage()).isPositive();
      assertThat(e.location().column()).isPositive();
    }
    assertThat(e.hint()).as("every error says what to do next").isNotBlank();
  }
}
