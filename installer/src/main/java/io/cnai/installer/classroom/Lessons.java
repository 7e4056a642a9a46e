package io.cnai.installer.classroom;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The lessons of {@code education/}: Markdown files filled in per student by FreeMarker
 * ({@code ${name}}, {@code ${namespace}}, {@code ${url}}, {@code ${token}}) and turned into HTML
 * by commonmark; and the HTML templates of the handouts ({@code education/templates/*.ftlh},
 * escaped automatically).
 */
public final class Lessons {
  private final Path dir;
  private final Configuration freemarker;
  private final Parser markdown = Parser.builder().build();
  /** Raw HTML in a lesson is shown as text, never passed through: values filled in cannot add markup. */
  private final HtmlRenderer html = HtmlRenderer.builder().escapeHtml(true).build();

  private Lessons(Path dir) {
    this.dir = dir;
    this.freemarker = new Configuration(Configuration.VERSION_2_3_34);
    try {
      freemarker.setDirectoryForTemplateLoading(dir.toFile());
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read the lessons in " + dir + ": " + e.getMessage(), "run cnai from its repository or set CNAI_ROOT");
    }
    freemarker.setDefaultEncoding("UTF-8");
    freemarker.setRecognizeStandardFileExtensions(true);
    freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    freemarker.setLogTemplateExceptions(false);
    freemarker.setWrapUncheckedExceptions(true);
    freemarker.setFallbackOnNullLoopVariable(false);
  }

  /** The lessons in {@code dir} (the repository's {@code education/}); every lesson file must be there. */
  public static Lessons load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw CnaiException.badInput("lessons directory " + dir + " does not exist", "run cnai from its repository or set CNAI_ROOT");
    }
    for (Exercises.Exercise e : Exercises.ALL) {
      if (!Files.isRegularFile(dir.resolve(e.lesson()))) {
        throw CnaiException.failure("lesson " + dir.resolve(e.lesson()) + " is missing", "restore education/ from the repository");
      }
    }
    return new Lessons(dir);
  }

  public Path dir() {
    return dir;
  }

  /** One lesson's Markdown for one student. */
  public String markdown(String lesson, Map<String, Object> model) {
    return fill(lesson, model);
  }

  /** One lesson as HTML for one student. */
  public String html(String lesson, Map<String, Object> model) {
    return html.render(markdown.parse(fill(lesson, model)));
  }

  /**
   * The lessons as they go into a student's namespace (file name -> Markdown, and for a lesson with
   * Python blocks the same as a notebook, {@code .ipynb}), without the token (a ConfigMap is not secret).
   */
  public Map<String, String> forNamespace(Student s, Manifests.Settings settings) {
    Map<String, Object> model = model(s.name(), s.namespace(), Manifests.url(settings.baseUrl(), s), "(on your handout)");
    Map<String, String> out = new TreeMap<>();
    for (Exercises.Exercise e : Exercises.ALL) {
      String md = markdown(e.lesson(), model);
      String name = e.lesson().replace('/', '-');
      out.put(name, md);
      String nb = notebook(md);
      if (nb != null) {
        out.put(name.replaceFirst("\\.md$", "") + ".ipynb", nb);
      }
    }
    return out;
  }

  /**
   * A lesson as a Jupyter notebook (nbformat 4): each fenced {@code python} block a code cell (its
   * indentation inside a list item removed), the text around them Markdown cells; null when the
   * lesson has no Python block. Students open it from their {@code lessons} folder and run the cells
   * with Shift + Enter instead of typing them.
   */
  public static String notebook(String markdownText) {
    com.fasterxml.jackson.databind.ObjectMapper json = io.cnai.installer.json.Mappers.JSON;
    com.fasterxml.jackson.databind.node.ObjectNode nb = json.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode cells = json.createArrayNode();
    StringBuilder text = new StringBuilder();
    StringBuilder code = null;
    int indent = 0;
    int codeCells = 0;
    for (String line : markdownText.split("\n", -1)) {
      String trimmed = line.strip();
      if (code == null && trimmed.startsWith("```") && trimmed.substring(3).strip().equals("python")) {
        addCell(cells, "markdown", text, cells.size());
        code = new StringBuilder();
        indent = line.indexOf('`');
      } else if (code != null && trimmed.equals("```")) {
        addCell(cells, "code", code, cells.size());
        codeCells++;
        code = null;
      } else if (code != null) {
        int cut = 0;
        while (cut < indent && cut < line.length() && line.charAt(cut) == ' ') {
          cut++;
        }
        code.append(line.substring(cut)).append('\n');
      } else {
        text.append(line).append('\n');
      }
    }
    if (code != null || codeCells == 0) {
      return null; // an unclosed block is left to the Markdown; no block, no notebook
    }
    addCell(cells, "markdown", text, cells.size());
    nb.set("cells", cells);
    com.fasterxml.jackson.databind.node.ObjectNode meta = nb.putObject("metadata");
    meta.putObject("kernelspec").put("name", "python3").put("display_name", "Python 3").put("language", "python");
    meta.putObject("language_info").put("name", "python");
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(nb);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void addCell(com.fasterxml.jackson.databind.node.ArrayNode cells, String type, StringBuilder source, int index) {
    String src = source.toString().strip();
    source.setLength(0);
    if (src.isEmpty()) {
      return;
    }
    com.fasterxml.jackson.databind.node.ObjectNode c = cells.addObject();
    c.put("cell_type", type).put("id", "cell-" + index);
    c.putObject("metadata");
    c.put("source", src);
    if (type.equals("code")) {
      c.putNull("execution_count");
      c.putArray("outputs");
    }
  }

  public static Map<String, Object> model(String name, String namespace, String url, String token) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("namespace", namespace);
    m.put("url", url);
    m.put("token", token);
    m.put("queue", Manifests.LOCAL_QUEUE);
    return m;
  }

  /** Fills a template of the lessons directory (Markdown as text, {@code .ftlh} as escaped HTML). */
  public String fill(String template, Map<String, Object> model) {
    try {
      Template t = freemarker.getTemplate(template);
      StringWriter w = new StringWriter();
      t.process(model, w);
      return w.toString();
    } catch (TemplateException e) {
      throw CnaiException.failure("lesson template " + dir.resolve(template) + " failed: " + e.getMessageWithoutStackTop(),
          "fix the template (FreeMarker syntax; variables: name, namespace, url, token, queue and those of the handout templates)", e);
    } catch (IOException e) {
      throw CnaiException.failure("cannot read " + dir.resolve(template) + ": " + e.getMessage(), "restore education/ from the repository", e);
    }
  }

  /** The exercises of an audience (null: all). */
  public static List<Exercises.Exercise> exercises(String audience) {
    return Exercises.ALL.stream().filter(e -> audience == null || e.audience().equals(audience)).toList();
  }
}
