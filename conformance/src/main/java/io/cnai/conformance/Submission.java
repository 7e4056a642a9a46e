package io.cnai.conformance;

import io.cnai.conformance.product.LandscapeMembers;
import io.cnai.conformance.product.VendorCheck;
import io.cnai.conformance.template.Templates;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the PRODUCT.yaml of a run answers and for whom.
 *
 * @param template {@code --template}: a file or URL of the program's checklist template; null: the
 *     program's published template for the cluster's minor version (or {@code templateVersion})
 * @param templateVersion {@code --template-version} ("v1.36"); null: the cluster's minor version
 * @param product {@code --product}: the product metadata file; null: PRODUCT.yaml keeps the
 *     template's placeholders and the report says it is not submittable
 * @param templates where published templates come from and are cached
 * @param vendors the CNCF membership check of the vendor name
 */
public record Submission(String template, String templateVersion, Path product, Templates templates, VendorCheck vendors) {
  public Submission {
    Objects.requireNonNull(templates, "templates");
    Objects.requireNonNull(vendors, "vendors");
  }

  /** The program's published template (fetched and cached), no product file, the landscape's member list. */
  public static Submission defaults() {
    return of(null, null, null);
  }

  public static Submission of(String template, String templateVersion, Path product) {
    return new Submission(template, templateVersion, product, Templates.defaults(), LandscapeMembers.defaults());
  }
}
