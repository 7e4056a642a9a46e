package io.cnai.conformance.report;

import io.cnai.conformance.ConformanceRunner;
import io.cnai.conformance.template.Template;
import io.cnai.conformance.template.Templates;
import io.cnai.core.CnaiException;
import io.cnai.core.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 'cnai conformance submit-dir': lays out the reports of a run as the program's repository holds a
 * submission, {@code <root>/v1.NN/<product>/PRODUCT.yaml} with the evidence files it names beside it
 * (at the same relative paths), and checks the result with the validator's rules. A PRODUCT.yaml
 * that breaks them is refused unless {@code draft}.
 */
public final class SubmissionLayout {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  static final Pattern FROM_URL = Pattern.compile("/v\\d+\\.\\d+/([^/]+)/?$");

  private SubmissionLayout() {}

  /**
   * The outcome.
   *
   * @param dir the product's folder, {@code <root>/v1.NN/<product>}
   * @param files the files written there, relative to it
   * @param violations what the validator's rules refuse (empty unless a draft)
   */
  public record Result(Path dir, List<String> files, List<Violation> violations) {}

  /**
   * @param from the output folder of 'cnai conformance run' (PRODUCT.yaml and evidence/)
   * @param root the submission root, e.g. a clone of the program's repository
   * @param name the product folder; null: the last part of metadata.k8sConformanceUrl, else platformName
   * @param templates finds the template of the PRODUCT.yaml's version (a file/URL given, or the cached published one)
   */
  public static Result layout(Path from, Path root, String name, Function<String, Template> templates, boolean draft) {
    Path product = from.resolve(ConformanceRunner.PRODUCT_YAML);
    if (!Files.isRegularFile(product)) {
      throw CnaiException.badInput(product + " does not exist",
          "pass --from with the --output-dir of 'cnai conformance run' (default target/conformance)");
    }
    Object root0 = Yaml.read(product).toPlain();
    Map<?, ?> meta = root0 instanceof Map<?, ?> top && top.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
    Object kv = meta.get("kubernetesVersion");
    if (kv == null) {
      throw CnaiException.badInput(product + " has no metadata.kubernetesVersion", "write it with 'cnai conformance run'");
    }
    String minor = Templates.minor(kv.toString(), product + ": metadata.kubernetesVersion");
    String dirName = name != null ? name : defaultName(meta);
    if (!NAME.matcher(dirName).matches()) {
      throw CnaiException.badInput("'" + dirName + "' is not a usable submission folder name",
          "pass --name with a short lower-case name such as 'cnai' (letters, digits, '.', '_', '-')");
    }
    Template template = templates.apply(minor);
    Path dir = root.resolve("v" + minor).resolve(dirName);
    List<String> evidence = evidence(root0);
    List<String> files = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      Files.copy(product, dir.resolve(ConformanceRunner.PRODUCT_YAML), StandardCopyOption.REPLACE_EXISTING);
      files.add(ConformanceRunner.PRODUCT_YAML);
      for (String e : evidence) {
        Path src = from.resolve(e).normalize();
        Path dst = dir.resolve(e).normalize();
        if (!src.startsWith(from.normalize()) || !dst.startsWith(dir.normalize())) {
          throw CnaiException.badInput(product + ": evidence '" + e + "' lies outside the report folder",
              "list evidence files beside PRODUCT.yaml, or public URLs");
        }
        if (Files.isRegularFile(src)) {
          Files.createDirectories(dst.getParent());
          Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
          files.add(e);
        }
      }
    } catch (IOException e) {
      throw CnaiException.failure("cannot write the submission into " + dir + ": " + e.getMessage(),
          "check the free space and permissions of " + root);
    }
    List<Violation> v = ProductValidator.validate(dir.resolve(ConformanceRunner.PRODUCT_YAML), template);
    if (!v.isEmpty() && !draft) {
      removeQuietly(dir, files);
      StringBuilder sb = new StringBuilder();
      v.forEach(x -> sb.append("\n  - ").append(x));
      throw CnaiException.badInput(product + " is not submittable: " + v.size() + " violations of the program's validator rules:" + sb,
          "fix them (--product FILE for metadata, a cluster where the MUST checks run) and run again; "
              + "--draft lays the folder out anyway");
    }
    return new Result(dir, files, v);
  }

  /** A refused layout leaves nothing behind that could be committed by mistake. */
  private static void removeQuietly(Path dir, List<String> files) {
    for (int i = files.size() - 1; i >= 0; i--) {
      try {
        Path p = dir.resolve(files.get(i));
        Files.deleteIfExists(p);
        for (Path d = p.getParent(); d != null && d.startsWith(dir); d = d.getParent()) {
          try (var s = Files.list(d)) {
            if (s.findAny().isPresent()) {
              break;
            }
          }
          Files.delete(d);
        }
      } catch (IOException e) {
        // best effort
      }
    }
  }

  static String defaultName(Map<?, ?> meta) {
    Object url = meta.get("k8sConformanceUrl");
    if (url != null) {
      Matcher m = FROM_URL.matcher(url.toString());
      if (m.find() && !ProductValidator.placeholder(url.toString())) {
        return m.group(1);
      }
    }
    Object platform = meta.get("platformName");
    if (platform != null && !ProductValidator.placeholder(platform.toString())) {
      return platform.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    }
    throw CnaiException.badInput("the PRODUCT.yaml names no product (k8sConformanceUrl and platformName are placeholders)",
        "pass --name, or run 'cnai conformance run --product FILE' first");
  }

  private static List<String> evidence(Object root) {
    Set<String> out = new LinkedHashSet<>();
    if (root instanceof Map<?, ?> top && top.get("spec") instanceof Map<?, ?> spec) {
      for (Object cat : spec.values()) {
        if (cat instanceof List<?> items) {
          for (Object i : items) {
            if (i instanceof Map<?, ?> item && item.get("evidence") instanceof List<?> ev) {
              for (Object e : ev) {
                String s = String.valueOf(e);
                if (!s.isEmpty() && !s.startsWith("http://") && !s.startsWith("https://")) {
                  out.add(s);
                }
              }
            }
          }
        }
      }
    }
    return List.copyOf(out);
  }
}
