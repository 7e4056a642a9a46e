package io.cnai.installer.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs a file with an ECDSA P-256 key and writes a Sigstore bundle v0.3 with a public-key hint and
 * a message signature, without transparency log entry: the form 'cnai verify blob --key' verifies
 * (and 'cosign verify-blob --key ... --insecure-ignore-tlog' too).
 */
public final class KeySigner {
  static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private final KeyPair pair;

  public KeySigner(KeyPair pair) {
    this.pair = pair;
  }

  /** Signs the file and returns the bundle JSON. */
  public String sign(Path file) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CnaiException.badInput(file + " does not exist", "pass the file to sign");
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read " + file + ": " + e.getMessage(), null);
    }
    byte[] signature;
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(pair.getPrivate());
      s.update(data);
      signature = s.sign();
    } catch (GeneralSecurityException e) {
      throw CnaiException.failure("cannot sign " + file + ": " + e.getMessage(), "check the key", e);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectMapper mapper = io.cnai.installer.json.Mappers.JSON;
    ObjectNode bundle = mapper.createObjectNode();
    bundle.put("mediaType", MEDIA_TYPE);
    bundle
        .putObject("verificationMaterial")
        .putObject("publicKey")
        .put("hint", b64.encodeToString(SigstoreBundleVerifier.sha256(pair.getPublic().getEncoded())));
    ObjectNode ms = bundle.putObject("messageSignature");
    ms.putObject("messageDigest")
        .put("algorithm", "SHA2_256")
        .put("digest", b64.encodeToString(SigstoreBundleVerifier.sha256(data)));
    ms.put("signature", b64.encodeToString(signature));
    try {
      return io.cnai.installer.json.Mappers.PRETTY_JSON.writeValueAsString(bundle) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs the file and writes the bundle next to it, or to bundleFile. */
  public Path sign(Path file, Path bundleFile) {
    String json = sign(file);
    try {
      Files.writeString(bundleFile, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CnaiException.failure(
          "cannot write the bundle " + bundleFile + ": " + e.getMessage(), "check the directory", e);
    }
    return bundleFile;
  }
}
