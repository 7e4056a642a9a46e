package io.cnai.installer.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level 'cnai' command; every verb is a subcommand class of its own ({@link #SUBCOMMANDS}).
 * Picocli builds the model of every command it is given by reflection when the command line is
 * made (about 0.4 s for all of them, in a command that runs for 2), so {@link #commandLine(String...)}
 * gives it only the verb the arguments name; help, unknown verbs and top-level options get them all.
 */
@Command(
    name = "cnai",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "The Cloud Native AI reference distribution: plan, render, install and certify the AI stack on Kubernetes.",
    footer = {
      "",
      "Examples:",
      "  cnai distro validate distro/releases/2026.11/distribution.yaml",
      "  cnai plan --profile kind --output json",
      "  cnai render --profile laptop --out /tmp/manifests",
      "  cnai cluster create --provider sim --gpu-nodes 2 --kubeconfig /tmp/sim.kubeconfig",
      "  cnai images push hello/image.yaml --registry http://10.201.0.1:5000",
      "  cnai install --profile kind --kubeconfig /tmp/sim.kubeconfig",
      "  cnai conformance run --kubeconfig /tmp/sim.kubeconfig",
      "  cnai classroom create --students 30 --kubeconfig /tmp/sim.kubeconfig",
      "",
      "Exit codes: 0 ok, 1 failure, 2 bad input or usage, 3 verification refused."
    })
public final class CnaiCommand implements Runnable {
  /** The verbs, in the order help lists them. */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      VersionCommand.class,
      DistroCommand.class,
      ProfileCommand.class,
      PlanCommand.class,
      RenderCommand.class,
      VerifyCommand.class,
      SbomCommand.class,
      ClusterCommand.class,
      ImagesCommand.class,
      InstallCommand.class,
      UpgradeCommand.class,
      RollbackCommand.class,
      HistoryCommand.class,
      StatusCommand.class,
      UninstallCommand.class,
      UpCommand.class,
      DownCommand.class,
      ConformanceCommand.class,
      ClassroomCommand.class,
      E2eCommand.class,
      CommandLine.HelpCommand.class);

  /** The command line with every verb (help, documentation, tests). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CnaiCommand());
    SUBCOMMANDS.forEach(cli::addSubcommand);
    return literalAts(cli);
  }

  /**
   * The command line for {@code args}: when the first argument is a verb, that verb alone (and
   * {@code help}); otherwise (no verb, an option first, an unknown word, {@code help}) every verb,
   * so that usage, suggestions and errors read as with {@link #commandLine()}.
   */
  public static CommandLine commandLine(String... args) {
    Class<?> verb = args.length == 0 ? null : SUBCOMMANDS.stream()
        .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0]))
        .findFirst().orElse(null);
    if (verb == null) {
      return commandLine();
    }
    CommandLine cli = new CommandLine(new CnaiCommand());
    cli.addSubcommand(verb);
    cli.addSubcommand(CommandLine.HelpCommand.class);
    return literalAts(cli);
  }

  /**
   * An argument that starts with {@code @} is itself, never a file to read arguments from: tag
   * expressions start with one ({@code --tags @sample-pipelines}), and picocli's default would read
   * a file or folder of that name in the working directory instead (and fail on a folder).
   */
  private static CommandLine literalAts(CommandLine cli) {
    return cli.setExpandAtFiles(false);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces and more detail.")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static boolean verbose(CommandLine cl) {
    CommandLine c = cl;
    while (c.getParent() != null) {
      c = c.getParent();
    }
    return c.getCommand() instanceof CnaiCommand root && root.verbose;
  }
}
