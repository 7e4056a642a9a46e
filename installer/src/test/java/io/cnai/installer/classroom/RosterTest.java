package io.cnai.installer.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rosters: what is accepted, and each kind of bad roster refused with file:line:column and a hint. */
class RosterTest {
  @TempDir Path dir;

  private Path roster(String text) throws Exception {
    Path f = dir.resolve("class.csv");
    Files.writeString(f, text);
    return f;
  }

  private CnaiException refused(String text) throws Exception {
    Path f = roster(text);
    try {
      Roster.read(f, Size.SMALL);
    } catch (CnaiException e) {
      assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT);
      assertThat(e.exitCode()).isEqualTo(2);
      assertThat(e.hint()).contains("nothing was created");
      return e;
    }
    throw new AssertionError("roster was accepted: " + text);
  }

  @Test
  void headerCommentsBlankLinesAndSizes() throws Exception {
    List<Student> s = Roster.read(roster("name,size\n# the morning group\nada,large\n\ngrace\nlinus , Medium\n"), Size.SMALL);
    assertThat(s).extracting(Student::name).containsExactly("ada", "grace", "linus");
    assertThat(s).extracting(Student::size).containsExactly(Size.LARGE, Size.SMALL, Size.MEDIUM);
    assertThat(s.get(1).where().line()).isEqualTo(5);
    assertThat(s.get(0).namespace()).isEqualTo("class-ada");
    assertThat(s.get(0).user()).isEqualTo("student-ada");
  }

  @Test
  void duplicateNamesAreRefusedNamingBothLines() throws Exception {
    CnaiException e = refused("ada\ngrace\nada\n");
    assertThat(e.location().line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("class.csv:3:1").contains("'ada' is already on line 1");
  }

  @Test
  void uppercaseNameIsUnsafeAndALowercaseOneIsSuggested() throws Exception {
    CnaiException e = refused("ada\nGrace\n");
    assertThat(e.location().line()).isEqualTo(2);
    assertThat(e.problem()).contains("'Grace' is not a safe name");
    assertThat(e.hint()).contains("'grace'");
  }

  @Test
  void nameWithSpacesAndAccentsIsUnsafe() throws Exception {
    CnaiException e = refused("Zoë Smith\n");
    assertThat(e.problem()).contains("not a safe name");
    assertThat(e.hint()).contains("'zoe-smith'");
  }

  @Test
  void nameStartingWithADashIsUnsafe() throws Exception {
    assertThat(refused("-ada\n").problem()).contains("not a safe name");
  }

  @Test
  void tooLongNameIsRefused() throws Exception {
    CnaiException e = refused("a".repeat(Roster.MAX_NAME + 1) + "\n");
    assertThat(e.problem()).contains("at most " + Roster.MAX_NAME);
  }

  @Test
  void unknownSizeIsRefusedAtItsColumn() throws Exception {
    CnaiException e = refused("ada,small\ngrace,huge\n");
    assertThat(e.location().line()).isEqualTo(2);
    assertThat(e.location().column()).isEqualTo(7);
    assertThat(e.problem()).contains("unknown size 'huge'");
    assertThat(e.hint()).contains("small, medium or large");
  }

  @Test
  void extraFieldsAreRefused() throws Exception {
    assertThat(refused("ada,small,extra\n").problem()).contains("3 fields");
  }

  @Test
  void missingNameIsRefused() throws Exception {
    assertThat(refused("ada\n,large\n").problem()).contains("without a name");
  }

  @Test
  void emptyRosterIsRefused() throws Exception {
    assertThat(refused("name,size\n# nobody yet\n").problem()).contains("names no student");
  }

  @Test
  void everyProblemIsListedNotOnlyTheFirst() throws Exception {
    CnaiException e = refused("ada\nAda\nada\nbob,xl\n");
    assertThat(e.problem()).contains("and 2 more").contains("class.csv:3:1").contains("class.csv:4:");
  }

  @Test
  void tooManyStudentsInOneRosterIsRefused() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i <= Roster.MAX_STUDENTS; i++) {
      sb.append("s").append(i).append('\n');
    }
    CnaiException e = refused(sb.toString());
    assertThat(e.location().line()).isEqualTo(Roster.MAX_STUDENTS + 1);
  }

  @Test
  void missingFileIsBadInput() {
    assertThatThrownBy(() -> Roster.read(dir.resolve("nope.csv"), Size.SMALL))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(2)).hasMessageContaining("does not exist");
  }

  @Test
  void countNamesStudentsInOrderAndRefusesNonsense() {
    assertThat(Roster.ofCount(3, Size.MEDIUM)).extracting(Student::name).containsExactly("s01", "s02", "s03");
    assertThat(Roster.ofCount(100, Size.SMALL).get(99).name()).isEqualTo("s100");
    assertThatThrownBy(() -> Roster.ofCount(0, Size.SMALL)).isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    assertThatThrownBy(() -> Roster.ofCount(Roster.MAX_STUDENTS + 1, Size.SMALL)).isInstanceOf(CnaiException.class);
  }
}
