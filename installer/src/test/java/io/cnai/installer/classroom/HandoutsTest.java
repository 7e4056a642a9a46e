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
    assertThat(m).containsKey("kids-day-01-pod-comes-back.md").containsKey("kids-day-02-digits.ipynb")
        .doesNotContainKey("kids-day-01-pod-comes-back.ipynb"); // no Python in it, no notebook
    assertThat(m.keySet().stream().filter(k -> k.endsWith(".md"))).hasSize(Exercises.ALL.size());
    assertThat(String.join("", m.values())).contains("class-ada").contains("http://h/class-ada/lab").doesNotContain("${");
  }

  @Test
  void aLessonWithPythonBlocksIsAlsoANotebookOfThoseCells() throws Exception {
    var m = lessons().forNamespace(new Student("ada", Size.SMALL, null), new Manifests.Settings("i", "http://h"));
    com.fasterxml.jackson.databind.JsonNode nb = io.cnai.installer.json.Mappers.JSON.readTree(m.get("kids-day-02-digits.ipynb"));
    assertThat(nb.path("nbformat").asInt()).isEqualTo(4);
    assertThat(nb.path("metadata").path("kernelspec").path("name").asText()).isEqualTo("python3");
    List<String> code = new java.util.ArrayList<>();
    List<String> text = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode c : nb.path("cells")) {
      assertThat(c.path("id").asText()).isNotEmpty();
      (c.path("cell_type").asText().equals("code") ? code : text).add(c.path("source").asText());
    }
    // the four Python blocks of the lesson, in order, taken out of their list items' indentation
    assertThat(code).hasSize(4);
    assertThat(code.get(0)).startsWith("from sklearn.datasets import load_digits\n").contains("\nprint(len(digits.images)")
        .doesNotContain("```");
    assertThat(code.get(2)).contains("model.fit(digits.data[:1500]").doesNotStartWith(" ");
    assertThat(code.get(3)).startsWith("!kubectl create configmap digits-score");
    assertThat(String.join("\n", text)).contains("Teach the computer to read digits").contains("Facilitator check")
        .contains("class-ada").doesNotContain("```python");
  }

  @Test
  void markdownWithoutPythonOrWithAnUnclosedBlockMakesNoNotebook() {
    assertThat(Lessons.notebook("# Title\n\n```yaml\na: 1\n```\n")).isNull();
    assertThat(Lessons.notebook("# Title\n\n```python\nprint(1)\n")).isNull();
    assertThat(Lessons.notebook("```python\nprint(1)\n```\n")).contains("print(1)");
  }
}
