package io.cnai.installer.classroom;

import io.cnai.core.CnaiException;
import io.cnai.core.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The students of a classroom, from {@code --students N} or a roster file: one student a line,
 * {@code name} or {@code name,size}; an optional header line {@code name,size}; blank lines and
 * lines starting with {@code #} are skipped. Everything is checked before anything is made: every
 * problem of the file is said, the first with its file:line:column.
 */
public final class Roster {
  /** Longest name: {@code student-<name>} and {@code class-<name>} must stay valid names with room to spare. */
  public static final int MAX_NAME = 40;
  /** Most students one classroom holds (30 is the target; more is a typo more often than a class). */
  public static final int MAX_STUDENTS = 200;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private Roster() {}

  /** {@code s01} ... {@code sNN}, all of one size. */
  public static List<Student> ofCount(int count, Size size) {
    if (count < 1 || count > MAX_STUDENTS) {
      throw CnaiException.badInput("--students " + count + " is out of range",
          "give between 1 and " + MAX_STUDENTS + " students, or a roster file with --roster FILE.csv");
    }
    int digits = Math.max(2, Integer.toString(count).length());
    List<Student> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      out.add(new Student(String.format(Locale.ROOT, "s%0" + digits + "d", i), size, null));
    }
    return out;
  }

  /** Reads and checks a roster file; {@code defaultSize} for lines that name no size. */
  public static List<Student> read(Path file, Size defaultSize) {
    if (!Files.isRegularFile(file)) {
      throw CnaiException.badInput(file + " does not exist", "pass --roster with the path of a CSV file: one 'name[,size]' a line");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read roster " + file + ": " + e.getMessage(), "check the file (UTF-8 text, one 'name[,size]' a line)");
    }
    return parse(file.toString(), lines, defaultSize);
  }

  /** One problem of a roster: where, what, what to do. */
  record Problem(Location where, String what, String hint) {}

  static List<Student> parse(String file, List<String> lines, Size defaultSize) {
    List<Student> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean first = true;
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String raw = i == 0 ? lines.get(i).replace("\uFEFF", "") : lines.get(i);
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (first) {
        first = false;
        if (fields[0].strip().equalsIgnoreCase("name")) {
          continue; // header
        }
      }
      if (fields.length > 2) {
        problems.add(new Problem(new Location(file, lineNo, raw.indexOf(',', raw.indexOf(',') + 1) + 1),
            "line has " + fields.length + " fields; a roster line is 'name' or 'name,size'",
            "remove the extra fields (a comma is not allowed in a name)"));
        continue;
      }
      String name = fields[0].strip();
      int nameCol = raw.indexOf(name.isEmpty() ? "," : name) + 1;
      Location at = new Location(file, lineNo, Math.max(nameCol, 1));
      Problem bad = nameProblem(name, at);
      if (bad != null) {
        problems.add(bad);
        continue;
      }
      Size size = defaultSize;
      if (fields.length == 2 && !fields[1].strip().isEmpty()) {
        String s = fields[1].strip();
        var parsed = Size.parse(s.toLowerCase(Locale.ROOT));
        if (parsed.isEmpty()) {
          problems.add(new Problem(new Location(file, lineNo, raw.lastIndexOf(s) + 1),
              "student '" + name + "': unknown size '" + s + "'", "write " + Size.choices() + ", or leave it out for --size"));
          continue;
        }
        size = parsed.get();
      }
      Integer earlier = seen.putIfAbsent(name, lineNo);
      if (earlier != null) {
        problems.add(new Problem(at, "student '" + name + "' is already on line " + earlier,
            "give every student a different name (add a letter or a number: '" + name + "2')"));
        continue;
      }
      out.add(new Student(name, size, at));
    }
    if (problems.isEmpty() && out.isEmpty()) {
      problems.add(new Problem(new Location(file, 0, 0), "the roster names no student", "write one student name a line (letters, digits, '-')"));
    }
    if (problems.isEmpty() && out.size() > MAX_STUDENTS) {
      Student over = out.get(MAX_STUDENTS);
      problems.add(new Problem(over.where(), "the roster names " + out.size() + " students; one classroom holds at most " + MAX_STUDENTS,
          "split the class into two clusters, or shorten the roster"));
    }
    if (!problems.isEmpty()) {
      throw refuse(problems);
    }
    return List.copyOf(out);
  }

  private static Problem nameProblem(String name, Location at) {
    if (name.isEmpty()) {
      return new Problem(at, "a student without a name", "write a name before the comma, or remove the line");
    }
    if (name.length() > MAX_NAME) {
      return new Problem(at, "student name '" + name + "' is " + name.length() + " characters long; at most " + MAX_NAME,
          "shorten it (it becomes part of the namespace name class-" + name + ")");
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      String suggestion = suggest(name);
      return new Problem(at, "student name '" + name + "' is not a safe name: it becomes namespace 'class-" + name
          + "', which allows only lowercase letters, digits and '-' (not at the start or end)",
          suggestion.isEmpty() ? "write the name with lowercase letters and digits" : "write it as '" + suggestion + "'");
    }
    return null;
  }

  /** A safe name close to {@code name}: lowercase, other characters as '-', trimmed; empty when none. */
  static String suggest(String name) {
    String s = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return s.length() > MAX_NAME ? s.substring(0, MAX_NAME).replaceAll("-+$", "") : s;
  }

  private static CnaiException refuse(List<Problem> problems) {
    Problem first = problems.get(0);
    StringBuilder what = new StringBuilder(first.what());
    if (problems.size() > 1) {
      what.append("\n  and ").append(problems.size() - 1).append(" more:");
      for (Problem p : problems.subList(1, Math.min(problems.size(), 11))) {
        what.append("\n    ").append(p.where()).append(": ").append(p.what()).append(" (").append(p.hint()).append(')');
      }
      if (problems.size() > 11) {
        what.append("\n    ...");
      }
    }
    return CnaiException.badInput(first.where(), what.toString(), first.hint() + "; nothing was created");
  }
}
