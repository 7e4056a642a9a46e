package io.cnai.installer.verify;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a successful verification established.
 *
 * @param signer the certificate identity (SAN) or "key sha256:&lt;hex&gt;" for a public key
 * @param issuer the OIDC issuer of the certificate, or null for a public key
 * @param artifactSha256 the hex SHA-256 of the artifact
 * @param logIndex the index of the first verified transparency log entry, if any
 * @param integratedTime the log's integrated time of that entry, if it carried a signed one
 * @param timestamps the verified times: signed integrated times and RFC 3161 timestamps
 * @param content "message-signature" or "dsse"
 */
public record VerificationResult(
    String signer,
    String issuer,
    String artifactSha256,
    OptionalLong logIndex,
    Instant integratedTime,
    List<Instant> timestamps,
    String content) {

  /** The one-line summary the CLI prints. */
  public String summary() {
    StringBuilder sb = new StringBuilder("verified: ").append(signer);
    if (issuer != null) {
      sb.append(" (issuer ").append(issuer).append(')');
    }
    sb.append(", ").append(content).append(" over sha256:").append(artifactSha256);
    if (logIndex.isPresent()) {
      sb.append(", log index ").append(logIndex.getAsLong());
    } else {
      sb.append(", no transparency log entry");
    }
    if (integratedTime != null) {
      sb.append(", integrated time ").append(integratedTime);
    } else if (!timestamps.isEmpty()) {
      sb.append(", timestamp ").append(timestamps.get(0));
    }
    return sb.toString();
  }
}
