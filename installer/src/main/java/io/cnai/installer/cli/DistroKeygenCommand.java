package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.installer.verify.KeyPairs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** 'cnai distro keygen': an ECDSA P-256 key pair for signing distribution lockfiles. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate an ECDSA P-256 key pair for signing distribution lockfiles:",
      "DIR/NAME.key (PEM PKCS#8, unencrypted, owner-only) and DIR/NAME.pub. Never overwrites."
    },
    footer = {"", "Example:", "  cnai distro keygen --out ~/.config/cnai/keys", "", "Keep the .key out of git; publish the .pub."})
public final class DistroKeygenCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the key pair into (created if missing).")
  Path out;

  @Option(names = "--name", defaultValue = "cnai", paramLabel = "NAME", description = "Base name of the files (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  public Integer call() {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw CnaiException.badInput("--name '" + name + "' is not a plain file name", "use letters, digits, '.', '_' or '-'");
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw CnaiException.badInput("cannot create " + out + ": " + e.getMessage(), "pass a folder you can write");
    }
    Path key = out.resolve(name + ".key");
    Path pub = out.resolve(name + ".pub");
    KeyPair pair = KeyPairs.generate();
    KeyPairs.write(pair, key, pub);
    PrintWriter w = spec.commandLine().getOut();
    w.println("private key: " + key + " (keep it secret; never commit it)");
    w.println("public key:  " + pub + " (key sha256:" + fingerprint(pair) + ")");
    w.println("sign with:   cnai distro sign FILE --key " + key);
    w.flush();
    return 0;
  }

  static String fingerprint(KeyPair pair) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
