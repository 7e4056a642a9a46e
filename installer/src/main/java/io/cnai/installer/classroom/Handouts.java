package io.cnai.installer.classroom;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the HTML handouts: one per student ({@code <name>.html}: their name, namespace, URL,
 * token and the lessons filled in for them) and the facilitator's guide ({@code facilitator.html}:
 * everyone's access, each exercise with its check). The files hold tokens: readable by their owner
 * only where the file system allows it.
 */
public final class Handouts {
  public static final String FACILITATOR = "facilitator.html";

  private final Lessons lessons;

  public Handouts(Lessons lessons) {
    this.lessons = lessons;
  }

  /** Writes the handouts of {@code students} for {@code audience} (null: every lesson) into {@code dir}; the files written. */
  public List<Path> write(Path dir, List<Classroom.Access> students, String audience) {
    if (students.isEmpty()) {
      throw CnaiException.badInput("the classroom has no students on this cluster", "make them first with 'cnai classroom create'");
    }
    List<Exercises.Exercise> exercises = Lessons.exercises(audience);
    List<Path> out = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (Classroom.Access a : students) {
        Map<String, Object> model = Lessons.model(a.name(), a.namespace(), a.url(), a.token());
        model.put("size", a.size().id());
        model.put("lessons", lessonsHtml(exercises, model));
        out.add(writeFile(dir.resolve(a.name() + ".html"), lessons.fill("templates/handout.ftlh", model)));
      }
      Map<String, Object> model = new LinkedHashMap<>();
      List<Map<String, Object>> roster = new ArrayList<>();
      for (Classroom.Access a : students) {
        roster.add(Map.of("name", a.name(), "namespace", a.namespace(), "url", a.url(), "token", a.token(), "size", a.size().id(),
            "handout", a.name() + ".html"));
      }
      model.put("students", roster);
      List<Map<String, Object>> checks = new ArrayList<>();
      for (Exercises.Exercise e : exercises) {
        checks.add(Map.of("id", e.id(), "title", e.title(), "audience", e.audience(), "check", e.check().describe(),
            "kubectl", "kubectl get " + e.check().kind().toLowerCase(java.util.Locale.ROOT) + " " + e.check().name() + " -n class-NAME"));
      }
      model.put("exercises", checks);
      Map<String, Object> sample = Lessons.model("NAME", "class-NAME", "URL", "TOKEN");
      model.put("lessons", lessonsHtml(exercises, sample));
      out.add(writeFile(dir.resolve(FACILITATOR), lessons.fill("templates/facilitator.ftlh", model)));
    } catch (IOException e) {
      throw CnaiException.failure("cannot write handouts to " + dir + ": " + e.getMessage(), "check that the directory is writable");
    }
    return out;
  }

  private List<Map<String, Object>> lessonsHtml(List<Exercises.Exercise> exercises, Map<String, Object> model) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Exercises.Exercise e : exercises) {
      out.add(Map.of("id", e.id(), "title", e.title(), "audience", e.audience(),
          "html", lessons.html(e.lesson(), model)));
    }
    return out;
  }

  private static Path writeFile(Path file, String text) throws IOException {
    Files.writeString(file, text);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own permissions apply
    }
    return file;
  }
}
