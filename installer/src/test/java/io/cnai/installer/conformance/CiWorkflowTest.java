package io.cnai.installer.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.Yaml;
import io.cnai.installer.TestPaths;
import io.cnai.installer.cli.CnaiCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/ci/github-actions.yaml is for users to copy: each of its 'cnai ...' command lines must parse
 * with the CLI's real picocli model, so a renamed or unknown flag fails here first.
 */
class CiWorkflowTest {
  static final Path WORKFLOW = TestPaths.root().resolve("docs/ci/github-actions.yaml");

  @Test
  void everyCnaiCommandLineOfTheWorkflowParsesWithTheCli() {
    List<List<String>> commands = cnaiCommands(runScripts(WORKFLOW));
    assertThat(commands).extracting(c -> String.join(" ", c.subList(0, Math.min(2, c.size()))))
        .contains("install --profile", "status --kubeconfig", "conformance run", "conformance submit-dir");
    for (List<String> args : commands) {
      CommandLine cli = CnaiCommand.commandLine();
      try {
        cli.parseArgs(args.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        throw new AssertionError("docs/ci/github-actions.yaml: 'cnai " + String.join(" ", args) + "': " + e.getMessage(), e);
      }
    }
  }

  @Test
  void theCheckCatchesAnUnknownFlag() {
    List<List<String>> commands = cnaiCommands(List.of("./cnai conformance run --kubeconfig \"$KUBECONFIG\" \\\n  --no-such-flag x"));
    assertThat(commands).containsExactly(List.of("conformance", "run", "--kubeconfig", "$KUBECONFIG", "--no-such-flag", "x"));
    assertThatThrownBy(() -> CnaiCommand.commandLine().parseArgs(commands.get(0).toArray(String[]::new)))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("--no-such-flag");
  }

  @Test
  void commandsRunThroughSudoAndEnvAreCheckedToo() {
    assertThat(cnaiCommands(List.of("sudo -E env \"PATH=$PATH\" ./cnai e2e run --pipeline digits")))
        .containsExactly(List.of("e2e", "run", "--pipeline", "digits"));
  }

  @Test
  void theE2eJobBringsUpTheStarterStackAndRunsTheSamples() {
    Map<?, ?> wf = (Map<?, ?>) Yaml.read(WORKFLOW).toPlain();
    List<?> steps = (List<?>) ((Map<?, ?>) ((Map<?, ?>) wf.get("jobs")).get("e2e")).get("steps");
    List<String> runs = steps.stream().map(st -> ((Map<?, ?>) st).get("run")).filter(java.util.Objects::nonNull)
        .map(Object::toString).toList();
    List<List<String>> commands = cnaiCommands(runs);
    assertThat(commands).anySatisfy(c -> assertThat(c).containsExactly("up"))
        .anySatisfy(c -> assertThat(c).startsWith("e2e", "run"));
  }

  @Test
  void theWorkflowCreatesAClusterInstallsRunsConformanceAndUploadsTheReports() {
    String all = String.join("\n", runScripts(WORKFLOW));
    Map<?, ?> wf = (Map<?, ?>) Yaml.read(WORKFLOW).toPlain();
    List<?> steps = (List<?>) ((Map<?, ?>) ((Map<?, ?>) wf.get("jobs")).get("conformance")).get("steps");
    List<String> uses = steps.stream().map(s -> String.valueOf(((Map<?, ?>) s).get("uses"))).toList();
    assertThat(uses).anySatisfy(u -> assertThat(u).startsWith("helm/kind-action@"))
        .anySatisfy(u -> assertThat(u).startsWith("actions/upload-artifact@"));
    assertThat(all).contains("--output-dir target/conformance").contains("--product ").contains("--in-cluster");
  }

  /** The 'run:' scripts of every step of every job. */
  static List<String> runScripts(Path workflow) {
    Map<?, ?> wf = (Map<?, ?>) Yaml.read(workflow).toPlain();
    List<String> out = new ArrayList<>();
    for (Object job : ((Map<?, ?>) wf.get("jobs")).values()) {
      for (Object step : (List<?>) ((Map<?, ?>) job).get("steps")) {
        Object run = ((Map<?, ?>) step).get("run");
        if (run != null) {
          out.add(run.toString());
        }
      }
    }
    return out;
  }

  /** The arguments after 'cnai' / './cnai' of every command line (continuations joined), as a shell splits them. */
  static List<List<String>> cnaiCommands(List<String> scripts) {
    List<List<String>> out = new ArrayList<>();
    for (String script : scripts) {
      for (String line : script.replace("\\\n", " ").split("\n")) {
        for (String command : line.split("&&|\\|\\||;")) {
          List<String> words = new ArrayList<>(words(command.strip()));
          // 'sudo -E env PATH=... ./cnai up' runs cnai as well
          while (!words.isEmpty() && (words.get(0).equals("sudo") || words.get(0).equals("env") || words.get(0).startsWith("-")
              || words.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*"))) {
            words.remove(0);
          }
          if (!words.isEmpty() && (words.get(0).equals("cnai") || words.get(0).endsWith("/cnai"))) {
            out.add(words.subList(1, words.size()));
          }
        }
      }
    }
    return out;
  }

  /** Shell words: blanks separate, quotes group (and are removed), a backslash escapes; $VARS stay as written. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < s.length()) {
        w.append(s.charAt(++i));
        inWord = true;
      } else if (c == '#' && !inWord) {
        break;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
