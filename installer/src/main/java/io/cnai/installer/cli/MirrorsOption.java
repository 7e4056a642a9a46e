package io.cnai.installer.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --mirrors}, wherever a command fetches. */
public final class MirrorsOption {
  @Option(names = "--mirrors", paramLabel = "FILE",
      description = "Mirrors file mapping upstream chart repositories, OCI registries, manifest URLs and kustomize git repositories to local ones;"
          + " digests stay the distribution's (docs/lifecycle.md, Mirrors).")
  Path file;
}
