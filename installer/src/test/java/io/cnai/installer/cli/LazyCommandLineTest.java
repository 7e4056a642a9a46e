package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line of one verb holds that verb only, and reads exactly as the full one. */
class LazyCommandLineTest {
  @Test
  void aVerbGetsOnlyItsOwnCommandModel() {
    assertThat(CnaiCommand.commandLine("status", "--kubeconfig", "k").getSubcommands()).containsOnlyKeys("status", "help");
    assertThat(CnaiCommand.commandLine("cluster", "create", "--help").getSubcommands()).containsOnlyKeys("cluster", "help");
    // no verb, an option first, help, a typo: every verb, for usage and suggestions
    for (String[] args : new String[][] {{}, {"-v", "status"}, {"help", "status"}, {"stauts"}, {"--help"}}) {
      assertThat(CnaiCommand.commandLine(args).getSubcommands()).hasSameSizeAs(CnaiCommand.SUBCOMMANDS);
    }
  }

  @Test
  void everyVerbReadsAsInTheFullCommandLine() {
    CommandLine full = CnaiCommand.commandLine();
    for (var e : full.getSubcommands().entrySet()) {
      CommandLine one = CnaiCommand.commandLine(e.getKey()).getSubcommands().get(e.getKey());
      assertThat(usage(one)).as(e.getKey()).isEqualTo(usage(e.getValue()));
      assertThat(one.getCommandSpec().qualifiedName()).isEqualTo("cnai " + e.getKey());
    }
  }

  @Test
  void inheritedOptionsAndErrorsWorkOnOneVerb() {
    CommandLine one = CnaiCommand.commandLine("status");
    CommandLine.ParseResult r = one.parseArgs("status", "-v", "--kubeconfig", "k");
    assertThat(r.subcommand().hasMatchedOption("-v")).isTrue();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"status", "--no-such-flag"}, new PrintWriter(out), new PrintWriter(err));
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("--no-such-flag").contains("cnai status --help");
  }

  private static String usage(CommandLine c) {
    StringWriter w = new StringWriter();
    c.usage(new PrintWriter(w));
    return w.toString();
  }
}
