package io.cnai.installer.charts;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** {@code sha256:<64 lower-case hex>} content digests. */
public final class Digests {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  private Digests() {}

  public static boolean isValid(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /** Refuses anything but {@code sha256:<64 lower-case hex>}; {@code what} names it in the error. */
  public static String require(String digest, String what) {
    if (!isValid(digest)) {
      throw CnaiException.badInput(
          what + ": '" + digest + "' is not a digest of the form sha256:<64 lower-case hex digits>",
          "copy the digest from the lockfile written by 'cnai distro lock', or leave it out to lock it");
    }
    return digest;
  }

  /** The hex of an index.yaml digest ("abc…" or "sha256:abc…") as {@code sha256:<hex>}, or null. */
  public static String fromIndex(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    return v.startsWith("sha256:") ? v : "sha256:" + v;
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public static String of(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
  }

  public static String of(Path file) {
    MessageDigest md = sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        md.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot read " + file + " to hash it: " + e.getMessage(), "check the file and its permissions", e);
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  /** The 64 hex digits of a valid digest. */
  public static String hex(String digest) {
    return require(digest, "digest").substring("sha256:".length());
  }
}
