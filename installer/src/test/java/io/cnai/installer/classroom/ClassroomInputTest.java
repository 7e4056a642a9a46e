package io.cnai.installer.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to 'cnai classroom' is refused with exit 2 before any cluster is reached: the
 * kubeconfig named here does not exist, so any attempt to reach it would say so instead.
 */
class ClassroomInputTest {
  @TempDir Path dir;

  private Cli.Result create(String... more) {
    String[] base = {"classroom", "create", "--kubeconfig", dir.resolve("no-such-kubeconfig").toString()};
    String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more)).toArray(String[]::new);
    return Cli.run(all);
  }

  @Test
  void badRosterSaysFileLineAndWhatToDo() throws Exception {
    Path roster = dir.resolve("class.csv");
    Files.writeString(roster, "name,size\nada\nada\n");
    Cli.Result r = create("--roster", roster.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("class.csv:3:1").contains("'ada' is already on line 2").contains("hint:").contains("nothing was created")
        .doesNotContain("kubeconfig");
  }

  @Test
  void badSizeFlag() {
    Cli.Result r = create("--students", "3", "--size", "huge");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--size 'huge'").contains("small, medium or large");
  }

  @Test
  void studentsAndRosterTogetherIsUsageError() {
    Cli.Result r = create("--students", "3", "--roster", "x.csv");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("mutually exclusive");
  }

  @Test
  void neitherStudentsNorRoster() {
    assertThat(create().exit()).isEqualTo(2);
  }

  @Test
  void badUrl() {
    Cli.Result r = create("--students", "3", "--url", "classroom.lan");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--url 'classroom.lan' is not an http(s) URL");
  }

  @Test
  void zeroStudents() {
    Cli.Result r = create("--students", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--students 0 is out of range");
  }

  @Test
  void unknownAudience() {
    Cli.Result r = Cli.run("classroom", "handouts", "--output-dir", dir.toString(), "--audience", "grown-ups",
        "--kubeconfig", dir.resolve("none").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--audience 'grown-ups'");
  }
}
