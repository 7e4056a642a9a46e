package io.cnai.installer.verify;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** PEM blocks: the label and the DER bytes between "-----BEGIN label-----" and its END line. */
record Pem(String label, byte[] der) {

  static Pem parse(String text) {
    int begin = text.indexOf("-----BEGIN ");
    if (begin < 0) {
      throw new IllegalArgumentException("no PEM BEGIN line");
    }
    int labelEnd = text.indexOf("-----", begin + 11);
    if (labelEnd < 0) {
      throw new IllegalArgumentException("malformed PEM BEGIN line");
    }
    String label = text.substring(begin + 11, labelEnd);
    String endLine = "-----END " + label + "-----";
    int end = text.indexOf(endLine, labelEnd);
    if (end < 0) {
      throw new IllegalArgumentException("no PEM END line for " + label);
    }
    String body = text.substring(labelEnd + 5, end);
    return new Pem(label, Base64.getMimeDecoder().decode(body.replaceAll("\\s", "")));
  }

  static String encode(String label, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
  }

  /** Reads a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) file: EC, Ed25519 or RSA. */
  static PublicKey readPublicKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw CnaiException.badInput(
          "public key file " + file + " does not exist", "pass --key with a PEM public key file");
    } catch (IOException e) {
      throw CnaiException.badInput("cannot read public key " + file + ": " + e.getMessage(), null);
    }
    try {
      Pem pem = parse(text);
      if (!pem.label().equals("PUBLIC KEY")) {
        throw new IllegalArgumentException("expected a PUBLIC KEY block, found " + pem.label());
      }
      return publicKey(pem.der());
    } catch (IllegalArgumentException e) {
      throw CnaiException.badInput(
          "public key file " + file + " is not a PEM public key: " + e.getMessage(),
          "pass the PEM file that starts with -----BEGIN PUBLIC KEY-----");
    }
  }

  static PublicKey publicKey(byte[] spki) {
    for (String alg : new String[] {"EC", "Ed25519", "RSA"}) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
      } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("not an EC, Ed25519 or RSA public key");
  }
}
