package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** An argument starting with '@' is taken as written: tag expressions start with one. */
class AtArgumentsTest {

  @Test
  void aTagExpressionNamedLikeAFolderOrAFileIsNotReadAsAnArgumentFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("args"), "--no-such-flag\n");
    // picocli's default would read the folder (and crash) and the file (an unknown flag)
    for (String tags : new String[] {"@" + dir, "@" + file, "@" + dir + " and not @needs-gpu"}) {
      for (CommandLine cli : new CommandLine[] {CnaiCommand.commandLine(), CnaiCommand.commandLine("conformance", "run")}) {
        CommandLine.ParseResult r = cli.parseArgs("conformance", "run", "--kubeconfig", "k", "--tags", tags);
        CommandLine.ParseResult run = r.subcommand().subcommand();
        assertThat(run.matchedOptionValue("--tags", (String) null)).isEqualTo(tags);
      }
    }
  }
}
