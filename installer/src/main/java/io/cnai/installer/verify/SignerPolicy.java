package io.cnai.installer.verify;

import java.nio.file.Path;
import java.util.Objects;

/** Who must have signed: a Fulcio certificate identity and issuer, or the holder of one key. */
public sealed interface SignerPolicy {
  /** Keyless: the signing certificate must name this identity (SAN) and OIDC issuer. */
  record Keyless(Match identity, Match issuer) implements SignerPolicy {
    public Keyless {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(issuer, "issuer");
    }
  }

  /** Public key: the signature must verify under the key in this PEM file. */
  record PublicKey(Path keyFile) implements SignerPolicy {
    public PublicKey {
      Objects.requireNonNull(keyFile, "keyFile");
    }
  }
}
