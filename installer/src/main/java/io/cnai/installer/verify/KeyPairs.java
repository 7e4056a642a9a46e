package io.cnai.installer.verify;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * ECDSA P-256 signing keys for the distribution lockfile, stored as unencrypted PEM: the private key
 * as PKCS#8 ("PRIVATE KEY", readable by the owner only), the public key as SubjectPublicKeyInfo
 * ("PUBLIC KEY", what 'cnai verify blob --key' and 'cosign verify-blob --key' take).
 */
public final class KeyPairs {
  private KeyPairs() {}

  /** A fresh P-256 key pair. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw CnaiException.failure(
          "this Java runtime cannot generate ECDSA P-256 keys: " + e.getMessage(),
          "run cnai on a standard Java 17 runtime",
          e);
    }
  }

  /** Writes the pair; refuses to overwrite either file. */
  public static void write(KeyPair pair, Path privateKeyPem, Path publicKeyPem) {
    for (Path p : new Path[] {privateKeyPem, publicKeyPem}) {
      if (Files.exists(p)) {
        throw CnaiException.badInput(
            p + " already exists; cnai does not overwrite keys", "choose another path or move the old key away");
      }
    }
    try {
      Files.writeString(
          publicKeyPem,
          Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()),
          StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE_NEW);
      Files.createFile(privateKeyPem);
      try {
        Files.setPosixFilePermissions(privateKeyPem, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the platform's default permissions
      }
      Files.writeString(
          privateKeyPem,
          Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()),
          StandardCharsets.US_ASCII,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw CnaiException.badInput(e.getFile() + " already exists; cnai does not overwrite keys", null);
    } catch (IOException e) {
      throw CnaiException.failure("cannot write the key pair: " + e.getMessage(), "check the directory", e);
    }
  }

  /** Reads a PEM PKCS#8 ECDSA private key. */
  public static PrivateKey readPrivateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw CnaiException.badInput("private key " + file + " does not exist", "pass the PEM private key file");
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read private key " + file + ": " + e.getMessage(), null);
    }
    try {
      Pem pem = Pem.parse(text);
      if (!pem.label().equals("PRIVATE KEY")) {
        throw new IllegalArgumentException(
            "expected an unencrypted PKCS#8 PRIVATE KEY block, found " + pem.label());
      }
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem.der()));
      if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException("not an ECDSA P-256 key");
      }
      return key;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw CnaiException.badInput(
          "private key " + file + " is not an ECDSA P-256 PKCS#8 PEM key: " + e.getMessage(),
          "pass a key written by cnai (PEM, -----BEGIN PRIVATE KEY-----)");
    }
  }

  /** Reads a PEM public key (SubjectPublicKeyInfo). */
  public static PublicKey readPublicKey(Path file) {
    return Pem.readPublicKey(file);
  }

  /** Reads a private and a public key and checks that they are one pair. */
  public static KeyPair read(Path privateKeyPem, Path publicKeyPem) {
    PrivateKey priv = readPrivateKey(privateKeyPem);
    PublicKey pub = readPublicKey(publicKeyPem);
    byte[] probe = "cnai key pair check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(priv);
      s.update(probe);
      byte[] sig = s.sign();
      if (!SigstoreBundleVerifier.verifySignature(pub, probe, sig)) {
        throw CnaiException.badInput(
            publicKeyPem + " is not the public key of " + privateKeyPem, "pass the matching .pub file");
      }
    } catch (GeneralSecurityException e) {
      throw CnaiException.badInput("cannot use the key pair: " + e.getMessage(), null);
    }
    return new KeyPair(pub, priv);
  }
}
