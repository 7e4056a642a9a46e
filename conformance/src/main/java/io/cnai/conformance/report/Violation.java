package io.cnai.conformance.report;

/**
 * One rule of the CNCF AI Conformance validator that a PRODUCT.yaml breaks.
 *
 * @param where the field ("spec.security[0].status", "metadata.vendorName")
 * @param rule what the rule says
 * @param fix what to do about it
 */
public record Violation(String where, String rule, String fix) {
  @Override
  public String toString() {
    return where + ": " + rule + " (" + fix + ")";
  }
}
