package io.cnai.installer.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cnai.core.CnaiException;
import io.cnai.core.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySignerTest {
  @TempDir Path dir;
  Path priv;
  Path pub;
  Path lockfile;
  Path bundle;

  @BeforeEach
  void signLockfile() throws Exception {
    priv = dir.resolve("cnai.key");
    pub = dir.resolve("cnai.pub");
    KeyPairs.write(KeyPairs.generate(), priv, pub);
    lockfile = dir.resolve("distribution.yaml");
    Files.writeString(lockfile, "apiVersion: cnai.io/v1\nkind: Distribution\nversion: 2026.11\n");
    bundle = new KeySigner(KeyPairs.read(priv, pub)).sign(lockfile, dir.resolve("distribution.yaml.sigstore.json"));
  }

  private Cli verifyWith(Path key) {
    return Cli.run(
        "verify", "blob", "--bundle", bundle.toString(), "--artifact", lockfile.toString(), "--key", key.toString());
  }

  @Test
  void signedFileVerifiesWithItsKeyAndNoTrustedRoot() {
    Cli r = verifyWith(pub);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("verified: key sha256:").contains("no transparency log entry");
  }

  @Test
  void editedFileIsRefused() throws Exception {
    Files.writeString(lockfile, "apiVersion: cnai.io/v1\nkind: Distribution\nversion: 2026.12\n");
    Cli r = verifyWith(pub);
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("message digest does not match the artifact");
  }

  @Test
  void editedFileWithRecomputedDigestIsStillRefusedBySignature() throws Exception {
    Files.writeString(lockfile, "apiVersion: cnai.io/v1\nkind: Distribution\nversion: 2026.12\n");
    ObjectMapper m = new ObjectMapper();
    ObjectNode b = (ObjectNode) m.readTree(bundle.toFile());
    ((ObjectNode) b.path("messageSignature").path("messageDigest"))
        .put("digest", java.util.Base64.getEncoder().encodeToString(SigstoreBundleVerifier.sha256(Files.readAllBytes(lockfile))));
    Files.writeString(bundle, m.writeValueAsString(b));
    Cli r = verifyWith(pub);
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("signature does not verify");
  }

  @Test
  void anotherKeyIsRefused() {
    Path otherPub = dir.resolve("other.pub");
    KeyPairs.write(KeyPairs.generate(), dir.resolve("other.key"), otherPub);
    Cli r = verifyWith(otherPub);
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("signature does not verify");
  }

  @Test
  void bundleIsAV03PublicKeyBundleWithoutLogEntries() throws Exception {
    JsonNode b = new ObjectMapper().readTree(bundle.toFile());
    assertThat(b.path("mediaType").asText()).isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
    assertThat(b.path("verificationMaterial").path("publicKey").path("hint").asText()).isNotEmpty();
    assertThat(b.path("verificationMaterial").has("tlogEntries")).isFalse();
    assertThat(b.path("messageSignature").path("messageDigest").path("algorithm").asText()).isEqualTo("SHA2_256");
  }

  @Test
  void keylessPolicyRefusesAKeyBundle() {
    VerificationRequest req =
        new VerificationRequest(
            bundle, lockfile, null, new SignerPolicy.Keyless(Match.exact("a@b.c"), Match.exact("https://x")));
    assertThatThrownBy(() -> BundleVerifier.sigstore(Clock.systemUTC()).verify(req))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VERIFICATION))
        .hasMessageContaining("signed with a public key");
  }

  @Test
  void privateKeyIsOwnerOnlyAndKeysAreNotOverwritten() throws Exception {
    if (Files.getFileStore(priv).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    }
    assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----");
    String before = Files.readString(priv);
    KeyPair other = KeyPairs.generate();
    assertThatThrownBy(() -> KeyPairs.write(other, priv, dir.resolve("new.pub")))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
        .hasMessageContaining("already exists");
    assertThat(Files.readString(priv)).isEqualTo(before);
    assertThat(dir.resolve("new.pub")).doesNotExist();
  }

  @Test
  void mismatchedPairAndBadKeyFilesAreBadInput() throws Exception {
    Path otherPub = dir.resolve("other.pub");
    KeyPairs.write(KeyPairs.generate(), dir.resolve("other.key"), otherPub);
    assertThatThrownBy(() -> KeyPairs.read(priv, otherPub))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
        .hasMessageContaining("is not the public key of");
    assertThatThrownBy(() -> KeyPairs.readPrivateKey(pub))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
        .hasMessageContaining("PRIVATE KEY");
    assertThatThrownBy(() -> KeyPairs.readPrivateKey(dir.resolve("missing.key")))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT))
        .hasMessageContaining("does not exist");
    Path garbage = dir.resolve("garbage.pub");
    Files.writeString(garbage, "hello");
    Cli r = verifyWith(garbage);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("not a PEM public key");
  }

  @Test
  void signingAMissingFileIsBadInput() {
    KeySigner signer = new KeySigner(KeyPairs.read(priv, pub));
    assertThatThrownBy(() -> signer.sign(dir.resolve("nope.yaml")))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_INPUT));
  }
}
