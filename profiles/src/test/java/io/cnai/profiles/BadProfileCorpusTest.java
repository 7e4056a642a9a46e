package io.cnai.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each folder of the bad-profile corpus holds profiles and a case.expect (profile to resolve,
 * expected message); resolving it must fail as bad input with that message.
 */
class BadProfileCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/bad-profiles");
  static final Distribution DISTRIBUTION = DistributionLoader.load(Path.of("src/test/resources/test-distribution.yaml"));

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> s = Files.list(CORPUS)) {
      List<Path> dirs = s.filter(Files::isDirectory).sorted().toList();
      return dirs.stream();
    }
  }

  @Test
  void corpusIsLargeEnough() throws IOException {
    assertThat(corpus().count()).isGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void refusedWithItsMessage(Path dir) throws IOException {
    List<String> expect = Files.readAllLines(dir.resolve("case.expect"));
    CnaiException e =
        catchThrowableOfType(
            CnaiException.class,
            () -> ProfileResolver.resolve(ProfileLoader.loadDirectory(dir), expect.get(0), DISTRIBUTION));
    assertThat(e).as("case %s must be refused", dir).isNotNull();
    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
    assertThat(e.getMessage()).contains(expect.get(1));
    assertThat(e.hint()).as("every error says what to do next").isNotBlank();
    if (e.location() != null && !expect.get(1).startsWith("is empty")) {
      assertThat(e.location().line()).as(e.getMessage()).isPositive();
    }
  }
}
