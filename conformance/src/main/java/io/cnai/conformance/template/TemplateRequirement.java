package io.cnai.conformance.template;

/**
 * One requirement as the program's template states it. {@code id}, {@code description} and
 * {@code level} are kept exactly as the template has them: a submission must not change them.
 *
 * @param category the spec category it is listed under ("accelerators", "security" ...)
 * @param level the template's level, verbatim ("MUST", "SHOULD")
 */
public record TemplateRequirement(String category, String id, String description, String level) {
  public boolean must() {
    return "MUST".equals(level);
  }
}
