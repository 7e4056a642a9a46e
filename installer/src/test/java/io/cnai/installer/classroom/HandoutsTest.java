package io.cnai.installer.classroom;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lessons of education/ and the handouts rendered from them. */
class HandoutsTest {
  @TempDir Path out;

  static Lessons lessons() {
    return Lessons.load(TestPaths.root().resolve("education"));
  }

  static final List<Classroom.Access> CLASS = List.of(
      new Classroom.Access("ada", "class-ada", "http://class.lan/class-ada/lab", "tok-ada-123", Size.SMALL),
      new Classroom.Access("grace", "class-grace", "http://class.lan/class-grace/lab", "tok-grace-456", Size.LARGE));

  @Test
  void everyExerciseHasItsLessonWithAFacilitatorCheckNamingTheCheckedObject() throws Exception {
    for (Exercises.Exercise e : Exercises.ALL) {
      String text = Files.readString(TestPaths.root().resolve("education").resolve(e.lesson()));
      assertThat(text).as(e.lesson()).contains("## Facilitator check").contains("`" + e.check().name() + "`");
    }
  }

  @Test
  void eachStudentGetsTheirOwnHandoutAndNobodyElsesToken() throws Exception {
    List<Path> files = new Handouts(lessons()).write(out, CLASS, null);
    assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("ada.html", "grace.html", Handouts.FACILITATOR);
    String ada = Files.readString(out.resolve("ada.html"));
    assertThat(ada).contains("Welcome, <span id=\"student-name\">ada</span>").contains("http://class.lan/class-ada/lab")
        .contains("tok-ada-123").contains("class-ada").doesNotContain("tok-grace-456").doesNotContain("${");
    // the lessons are filled in for her and turned into HTML
    assertThat(ada).contains("<h1>1. The pod that comes back</h1>").contains("Hello ada!").contains("<code>class-ada</code>")
        .contains("kubectl create deployment phippy");
    assertThat(Files.getPosixFilePermissions(out.resolve("ada.html"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void facilitatorGuideListsEveryoneAndEveryCheck() throws Exception {
    new Handouts(lessons()).write(out, CLASS, Exercises.KIDS);
    String guide = Files.readString(out.resolve(Handouts.FACILITATOR));
    assertThat(guide).contains("tok-ada-123").contains("tok-grace-456").contains("cnai classroom status").contains("cnai classroom reset NAME");
    for (Exercises.Exercise e : Lessons.exercises(Exercises.KIDS)) {
      assertThat(guide).contains(e.title()).contains(e.check().describe().replace("'", "&#39;"));
    }
    assertThat(guide).doesNotContain("Deploy a model");
  }

  @Test
  void htmlInValuesIsEscaped() throws Exception {
    new Handouts(lessons()).write(out, List.of(new Classroom.Access("x", "class-x", "http://h/?a=<b>", "t", Size.SMALL)), null);
    assertThat(Files.readString(out.resolve("x.html"))).contains("http://h/?a=&lt;b&gt;").doesNotContain("a=<b>");
  }

  @Test
  void lessonsForTheNamespaceCarryNoToken() {
    var m = lessons().forNamespace(new Student("ada", Size.SMALL, null), new Manifests.Settings("i", "http://h"));
    assertThat(m).hasSize(Exercises.ALL.size()).containsKey("kids-day-01-pod-comes-back.md");
    assertThat(String.join("", m.values())).contains("class-ada").contains("http://h/class-ada/lab").doesNotContain("${");
  }
}
