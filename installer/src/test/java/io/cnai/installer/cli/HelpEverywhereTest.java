package io.cnai.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command and subcommand answers --help with its usage and exit 0, whatever options it
 * requires ('cnai cluster create --help' once failed with "Missing required option").
 */
class HelpEverywhereTest {
  static Stream<String> commands() {
    List<String> out = new ArrayList<>();
    walk(CnaiCommand.commandLine(), "", out);
    return out.stream();
  }

  private static void walk(CommandLine c, String path, List<String> out) {
    for (var e : c.getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
        continue;
      }
      String p = (path + " " + e.getKey()).strip();
      out.add(p);
      walk(e.getValue(), p, out);
    }
  }

  @ParameterizedTest(name = "cnai {0} --help")
  @MethodSource("commands")
  void helpWorks(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exit()).as("cnai %s --help: %s", command, r.err()).isZero();
    assertThat(r.out()).as(command).contains("Usage: cnai " + command + " ");
    assertThat(r.err()).as(command).doesNotContain("error:");
  }
}
