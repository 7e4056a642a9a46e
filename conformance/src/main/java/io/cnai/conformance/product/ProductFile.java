package io.cnai.conformance.product;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.Location;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code --product FILE}, strictly: unknown fields are errors (with "did you mean"), every
 * error names file:line:column, no {@code [placeholder]} may be left (the program's validator
 * refuses any value in brackets), URLs must be well-formed http(s) URLs, the contact an email
 * address, and {@code k8sConformanceUrl} must point into cncf/k8s-conformance as the validator
 * requires. Whether the URLs answer and whether the vendor is a CNCF member need the network and
 * are checked elsewhere ({@link VendorCheck}).
 */
public final class ProductFile {
  static final Pattern PLACEHOLDER = Pattern.compile("^\\s*\\[.*]\\s*$", Pattern.DOTALL);
  static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  /** The program's validator's pattern (scripts/validate.go). */
  public static final Pattern K8S_CONFORMANCE_URL =
      Pattern.compile("^https://github\\.com/cncf/k8s-conformance/tree/(master|main)/v\\d+\\.\\d+/[^/]+/?$");
  /** The fields of a product file. */
  public static final List<String> FIELDS = List.of("platformName", "platformVersion", "vendorName", "websiteUrl", "repoUrl",
      "documentationUrl", "productLogoUrl", "description", "contactEmailAddress", "k8sConformanceUrl", "evidence");
  static final List<String> RASTER = List.of(".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp");

  private ProductFile() {}

  public static ProductInfo load(Path file) {
    YNode root = Yaml.read(file);
    String name = file.toString();
    Fields f = Fields.of(root, "product");
    // unknown fields first: a misspelt key is reported as such ("did you mean"), not as a missing one
    FIELDS.forEach(f::optional);
    f.done();
    Map<String, Location> at = new HashMap<>();
    String platformName = text(f, "platformName", at);
    Optional<String> platformVersion = optText(f, "platformVersion", at);
    String vendorName = text(f, "vendorName", at);
    String websiteUrl = url(f, "websiteUrl", at);
    Optional<String> repoUrl = optText(f, "repoUrl", at);
    repoUrl.ifPresent(u -> checkUrl(f, "repoUrl", u));
    String documentationUrl = url(f, "documentationUrl", at);
    String logo = url(f, "productLogoUrl", at);
    String path = URI.create(logo).getPath() == null ? "" : URI.create(logo).getPath().toLowerCase(Locale.ROOT);
    if (RASTER.stream().anyMatch(path::endsWith)) {
      throw CnaiException.badInput(f.node().get("productLogoUrl").location(),
          "product.productLogoUrl points at a raster image; the program asks for SVG, AI or EPS",
          "link the product's logo as SVG (with the product name in it)");
    }
    String description = text(f, "description", at);
    String email = text(f, "contactEmailAddress", at);
    if (!EMAIL.matcher(email).matches()) {
      throw CnaiException.badInput(f.node().get("contactEmailAddress").location(),
          "product.contactEmailAddress '" + email + "' is not an email address", "write an address such as ai-team@example.org");
    }
    String k8s = url(f, "k8sConformanceUrl", at);
    if (!K8S_CONFORMANCE_URL.matcher(k8s).matches()) {
      throw CnaiException.badInput(f.node().get("k8sConformanceUrl").location(),
          "product.k8sConformanceUrl '" + k8s + "' does not point at a submission of cncf/k8s-conformance",
          "write https://github.com/cncf/k8s-conformance/tree/master/v1.NN/<product>, the product's Kubernetes conformance submission");
    }
    Map<String, List<String>> evidence = new LinkedHashMap<>();
    f.optional("evidence").ifPresent(ev -> {
      for (YNode.Entry e : Fields.asMap(ev, "product.evidence").entries().values()) {
        at.put("evidence." + e.key(), e.keyLocation());
        List<String> urls = new java.util.ArrayList<>();
        for (YNode u : Fields.asList(e.value(), "product.evidence." + e.key()).items()) {
          String s = Fields.asString(u, "product.evidence." + e.key() + "[]");
          placeholder(u.location(), "evidence." + e.key() + "[]", s);
          if (!wellFormed(s)) {
            throw CnaiException.badInput(u.location(), "product.evidence." + e.key() + ": '" + s + "' is not an http(s) URL",
                "list public URLs here; cnai's own evidence files are added by the run");
          }
          urls.add(s);
        }
        evidence.put(e.key(), urls);
      }
    });
    return new ProductInfo(name, platformName, platformVersion, vendorName, websiteUrl, repoUrl, documentationUrl, logo,
        description, email, k8s, evidence, at);
  }

  private static String text(Fields f, String key, Map<String, Location> at) {
    String s = f.string(key);
    YNode n = f.node().get(key);
    at.put(key, n.location());
    placeholder(n.location(), key, s);
    if (s.isBlank()) {
      throw CnaiException.badInput(n.location(), "product." + key + " is empty", "fill it in");
    }
    return s.strip();
  }

  private static Optional<String> optText(Fields f, String key, Map<String, Location> at) {
    Optional<String> s = f.optString(key);
    s.ifPresent(v -> {
      YNode n = f.node().get(key);
      at.put(key, n.location());
      placeholder(n.location(), key, v);
      if (v.isBlank()) {
        throw CnaiException.badInput(n.location(), "product." + key + " is empty", "fill it in or remove the line");
      }
    });
    return s.map(String::strip);
  }

  private static String url(Fields f, String key, Map<String, Location> at) {
    String s = text(f, key, at);
    checkUrl(f, key, s);
    return s;
  }

  private static void checkUrl(Fields f, String key, String s) {
    if (!wellFormed(s)) {
      throw CnaiException.badInput(f.node().get(key).location(), "product." + key + " '" + s + "' is not a well-formed http(s) URL",
          "write the full URL, e.g. https://example.org/path");
    }
  }

  static boolean wellFormed(String s) {
    try {
      URI u = new URI(s);
      String host = u.getHost();
      // a public URL: http(s), a dotted host name, no spaces
      return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && host != null && host.contains(".")
          && !host.startsWith(".") && !host.endsWith(".");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static void placeholder(Location loc, String key, String value) {
    if (PLACEHOLDER.matcher(value).matches()) {
      throw CnaiException.badInput(loc, "product." + key + " still holds the placeholder " + value,
          "replace it with the product's real value: the program refuses any value in [brackets]");
    }
  }
}
