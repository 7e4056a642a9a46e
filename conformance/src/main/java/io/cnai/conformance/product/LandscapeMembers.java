package io.cnai.conformance.product;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.Yaml;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vendor check of the program's validator: the names under the "CNCF Members" category of the
 * CNCF landscape ({@code landscape.yml}), with the " (member)" and " (supporter)" suffixes removed,
 * must contain the vendor name exactly. When the landscape cannot be fetched or read, the verdict
 * is UNKNOWN with the reason: a note, not a failure.
 */
public final class LandscapeMembers implements VendorCheck {
  /** The landscape file the program's validator reads. */
  public static final String LANDSCAPE_URL = "https://raw.githubusercontent.com/cncf/landscape/master/landscape.yml";
  static final List<String> SUFFIXES = List.of(" (member)", " (supporter)");

  private final String url;
  private final HttpClient http;
  private final Duration timeout;
  private Set<String> members;

  public LandscapeMembers(String url, HttpClient http, Duration timeout) {
    this.url = url;
    this.http = http;
    this.timeout = timeout;
  }

  public static LandscapeMembers defaults() {
    return new LandscapeMembers(LANDSCAPE_URL,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build(),
        Duration.ofSeconds(60));
  }

  @Override
  public Verdict check(String vendorName) {
    Set<String> m;
    try {
      m = members();
    } catch (IOException e) {
      return Verdict.unknown("the CNCF landscape " + url + " could not be fetched (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.unknown("interrupted while fetching " + url);
    } catch (CnaiException | IllegalStateException e) {
      return Verdict.unknown("the CNCF landscape " + url + " could not be read (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    String name = vendorName.strip();
    if (m.contains(name)) {
      return Verdict.member();
    }
    String near = Fields.closest(name, m);
    return Verdict.notMember("'" + name + "' is not a CNCF member in the landscape (" + m.size() + " members)"
        + (near != null ? "; the nearest name is '" + near + "'" : ""));
  }

  private synchronized Set<String> members() throws IOException, InterruptedException {
    if (members == null) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
          .header("User-Agent", "cnai-conformance").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode());
      }
      members = parse(r.body());
    }
    return members;
  }

  static Set<String> parse(byte[] landscape) {
    Object root = Yaml.parse("landscape.yml", landscape).toPlain();
    Set<String> out = new LinkedHashSet<>();
    boolean found = false;
    for (Object cat : list(root instanceof Map<?, ?> m ? m.get("landscape") : null)) {
      if (cat instanceof Map<?, ?> c && "CNCF Members".equals(c.get("name"))) {
        found = true;
        for (Object sub : list(c.get("subcategories"))) {
          for (Object item : list(sub instanceof Map<?, ?> s ? s.get("items") : null)) {
            if (item instanceof Map<?, ?> i && i.get("name") != null) {
              String n = i.get("name").toString();
              for (String suffix : SUFFIXES) {
                if (n.endsWith(suffix)) {
                  n = n.substring(0, n.length() - suffix.length());
                }
              }
              if (!n.isBlank()) {
                out.add(n.strip());
              }
            }
          }
        }
      }
    }
    if (!found) {
      throw new IllegalStateException("no 'CNCF Members' category");
    }
    return out;
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : new ArrayList<>();
  }
}
