package io.cnai.installer.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A transparency log checkpoint in the signed-note format: origin, tree size, root hash (base64),
 * optional extension lines, a blank line, then one or more signature lines
 * "&#x2014; name base64(4-byte key hint || signature)". Parsed by cnai so that a checkpoint without
 * origin or without any signature is refused, and so that no signature line is assumed to be the
 * log's by its position.
 */
record Checkpoint(String signedText, String origin, long size, byte[] rootHash, List<Signature> signatures) {
  record Signature(String name, byte[] keyHint, byte[] signature) {}

  static Checkpoint parse(String envelope) {
    int split = envelope.indexOf("\n\n");
    if (split < 0) {
      throw new IllegalArgumentException("no blank line between the checkpoint body and signatures");
    }
    String text = envelope.substring(0, split + 1);
    String[] lines = text.split("\n", -1);
    // text ends with "\n": the last element is empty
    if (lines.length < 4) {
      throw new IllegalArgumentException(
          "the checkpoint body needs origin, tree size and root hash lines; it has "
              + (lines.length - 1));
    }
    String origin = lines[0];
    if (origin.isBlank()) {
      throw new IllegalArgumentException("the checkpoint origin line is empty");
    }
    long size;
    try {
      size = Long.parseUnsignedLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the checkpoint's second line must be the tree size, found '" + lines[1] + "' (origin"
              + " missing?)");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the checkpoint root hash is not base64: " + lines[2]);
    }
    if (root.length != 32) {
      throw new IllegalArgumentException("the checkpoint root hash is not 32 bytes");
    }
    List<Signature> sigs = new ArrayList<>();
    for (String line : envelope.substring(split + 2).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (!line.startsWith("\u2014 ")) {
        throw new IllegalArgumentException("malformed checkpoint signature line: " + line);
      }
      String[] parts = line.substring(2).split(" ");
      if (parts.length != 2) {
        throw new IllegalArgumentException("malformed checkpoint signature line: " + line);
      }
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("checkpoint signature is not base64: " + line);
      }
      if (blob.length < 5) {
        throw new IllegalArgumentException("checkpoint signature too short: " + line);
      }
      byte[] hint = java.util.Arrays.copyOfRange(blob, 0, 4);
      byte[] sig = java.util.Arrays.copyOfRange(blob, 4, blob.length);
      sigs.add(new Signature(parts[0], hint, sig));
    }
    if (sigs.isEmpty()) {
      throw new IllegalArgumentException("the checkpoint carries no signature");
    }
    return new Checkpoint(text, origin, size, root, List.copyOf(sigs));
  }

  byte[] signedBytes() {
    return signedText.getBytes(StandardCharsets.UTF_8);
  }
}
