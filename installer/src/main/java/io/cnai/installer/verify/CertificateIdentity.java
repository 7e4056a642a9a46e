package io.cnai.installer.verify;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** The identity a Fulcio certificate states: subject alternative names and the OIDC issuer. */
final class CertificateIdentity {
  /** Fulcio's issuer extension (v2, DER UTF8String). */
  static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  /** Fulcio's deprecated issuer extension (v1, raw string). */
  static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";

  private CertificateIdentity() {}

  static List<String> subjectAlternativeNames(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          Object type = san.get(0);
          // 1 rfc822Name (email), 2 dNSName, 6 URI
          if (type instanceof Integer t && (t == 1 || t == 2 || t == 6) && san.get(1) instanceof String s) {
            out.add(s);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no readable SAN: the identity check fails with an empty list
    }
    return out;
  }

  /** The OIDC issuer, or null when the certificate has no Fulcio issuer extension. */
  static String issuer(X509Certificate cert) {
    byte[] v2 = octets(cert.getExtensionValue(ISSUER_V2));
    if (v2 != null) {
      byte[] inner = derValue(v2, (byte) 0x0C); // UTF8String
      if (inner != null) {
        return new String(inner, StandardCharsets.UTF_8);
      }
    }
    byte[] v1 = octets(cert.getExtensionValue(ISSUER_V1));
    return v1 == null ? null : new String(v1, StandardCharsets.UTF_8);
  }

  /** The content of the DER OCTET STRING that getExtensionValue returns. */
  private static byte[] octets(byte[] ext) {
    return ext == null ? null : derValue(ext, (byte) 0x04);
  }

  /** The value of a single DER TLV with the given tag, or null when it is something else. */
  static byte[] derValue(byte[] der, byte tag) {
    if (der.length < 2 || der[0] != tag) {
      return null;
    }
    int len = der[1] & 0xff;
    int off = 2;
    if (len > 0x7f) {
      int n = len & 0x7f;
      if (n < 1 || n > 3 || der.length < 2 + n) {
        return null;
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[2 + i] & 0xff);
      }
      off = 2 + n;
    }
    if (off + len != der.length) {
      return null;
    }
    return Arrays.copyOfRange(der, off, off + len);
  }
}
