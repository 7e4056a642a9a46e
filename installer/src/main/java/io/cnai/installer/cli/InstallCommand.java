package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.distro.Distribution;
import io.cnai.installer.kube.KubeTarget;
import io.cnai.installer.lifecycle.Lifecycle;
import io.cnai.installer.render.Mirrors;
import io.cnai.installer.lifecycle.Options;
import io.cnai.installer.lifecycle.Preflight;
import io.cnai.installer.lifecycle.Progress;
import io.cnai.installer.lifecycle.ProgressPrinters;
import io.cnai.installer.plan.Overrides;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.Planner;
import io.cnai.installer.plan.TargetFacts;
import io.cnai.installer.render.StackRenderer;
import io.cnai.profiles.ResolvedProfile;
import io.cnai.profiles.ProfileResolver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** 'cnai install': fetch, verify and render everything, then install the stack on a cluster. */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    description = "Install the stack of a profile on a cluster: CRDs first, then wave after wave, each component waited for.",
    footer = {
      "",
      "Nothing is applied before every chart and manifest is fetched, verified and rendered.",
      "Running it again changes nothing; after an interrupted run it repairs and completes the install.",
      "",
      "Examples:",
      "  cnai install --profile kind --kubeconfig ~/.kube/config",
      "  cnai install --profile laptop --require-locked --timeout 10m --output json"
    })
public final class InstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin StackOptions stack;
  @Mixin TrustOptions trust;
  @Mixin Target target;
  @Mixin Apply apply;

  /**
   * Verifies the distribution's signature before anything reads it (install, upgrade, up); an
   * unsigned distribution the user allowed is added to {@code allowUnverified} for the revision.
   */
  static void verifyDistribution(TrustOptions trust, StackOptions stack, CommandLine.Model.CommandSpec spec, List<String> allowUnverified) {
    warmUp();
    Path file = stack.distribution != null ? stack.distribution : CnaiRoot.latestDistribution();
    trust.verify(file, spec.commandLine().getErr()).allowUnverified().ifPresent(allowUnverified::add);
  }

  /**
   * While the distribution's signature is checked (one core), a second thread loads what the
   * command needs next: Helm's native library and the Kubernetes client's HTTP and TLS classes.
   * Nothing is contacted; a failure here is left to the real call to report.
   */
  static void warmUp() {
    Thread t = new Thread(() -> {
      try {
        Class.forName("com.marcnuri.helm.Helm$HelmLibHolder", true, InstallCommand.class.getClassLoader());
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                .withMasterUrl("https://127.0.0.1:1").build()).build().close();
      } catch (Throwable ignored) {
        // only a head start
      }
    }, "cnai-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** --kubeconfig, --context, --output: every lifecycle command has them. */
  public static final class Target {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig of the cluster (default: KUBECONFIG, else ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Context of the kubeconfig (default: its current context).")
    String context;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (human) or json (events and results as JSON lines); default: table.", defaultValue = "TABLE")
    OutputFormat output;

    Progress progress(PrintWriter out, Clock clock) {
      if (output == OutputFormat.JSON) {
        return ProgressPrinters.json(out, clock);
      }
      return System.console() != null ? ProgressPrinters.terminal(out, clock) : ProgressPrinters.plain(out, clock);
    }

    KubeTarget kube() {
      return KubeTarget.of(kubeconfig, context);
    }
  }

  /** Help of --mirrors, wherever a command fetches. */
  static final String MIRRORS_HELP =
      "Mirrors file mapping upstream chart repositories, OCI registries, manifest URLs and kustomize git repositories to local ones;"
          + " digests stay the distribution's (docs/lifecycle.md, Mirrors).";

  /** Options of the commands that apply charts. */
  public static final class Apply {
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", description = "How long each component may take to become ready: 90s, 5m, 1h (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--mirrors", paramLabel = "FILE", description = MIRRORS_HELP)
    Path mirrors;

    Duration timeout() {
      return parseDuration(timeout);
    }
  }

  /** Verification options of install and upgrade. */
  @Option(names = "--require-locked", description = "Refuse components without a locked digest (exit 3), except those named by --allow-unverified.")
  boolean requireLocked;

  @Option(names = "--allow-unverified", paramLabel = "COMPONENT", description = "Install this unlocked component anyway (logged and recorded in the revision); repeatable.")
  List<String> allowUnverified = new ArrayList<>();

  static Duration parseDuration(String s) {
    try {
      String t = s.trim().toLowerCase(java.util.Locale.ROOT);
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        d = Duration.parse(s);
      }
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw CnaiException.badInput("--timeout '" + s + "' is not a duration", "write e.g. 90s, 5m or 1h");
    }
  }

  /** A lifecycle for these options. */
  static Lifecycle lifecycle(Target target, Path mirrorsFile, PrintWriter out, Preflight preflight) {
    Clock clock = Clock.systemUTC();
    StackRenderer renderer = Mirrors.from(mirrorsFile).renderer();
    return new Lifecycle(target.kube(), renderer, preflight, target.progress(out, clock), clock);
  }

  /** Plans against the live cluster's facts. */
  static Options.PlanSource planSource(StackOptions stack) {
    Path file = stack.distribution != null ? stack.distribution : CnaiRoot.latestDistribution();
    Distribution d = stack.loadDistribution();
    ResolvedProfile p = ProfileResolver.resolve(stack.loadProfiles(), stack.profile, d);
    java.util.Map<String, java.util.Map<String, Object>> overrides = Overrides.parse(stack.valueFiles, stack.sets);
    return new Options.PlanSource() {
      @Override
      public Path distributionFile() {
        return file;
      }

      @Override
      public Plan plan(TargetFacts facts) {
        return Planner.plan(d, p, facts, overrides);
      }
    };
  }

  static void printResult(PrintWriter out, Target target, String verb, Lifecycle.Result r) {
    if (target.output == OutputFormat.JSON) {
      out.println("{\"result\":\"" + verb + "\",\"revision\":" + r.revision().revision() + ",\"changed\":" + r.changed() + "}");
    } else if (r.changed()) {
      out.printf("%s: stack revision %d deployed (%s %s, profile %s)%n", verb, r.revision().revision(),
          r.revision().distributionName(), r.revision().distributionVersion(), r.revision().profile());
    } else {
      out.printf("%s: nothing changed; stack revision %d is deployed%n", verb, r.revision().revision());
    }
    out.flush();
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    verifyDistribution(trust, stack, spec, allowUnverified);
    Lifecycle l = lifecycle(target, apply.mirrors, out, Preflight.none());
    Lifecycle.Result r = l.install(new Options.Install(planSource(stack), apply.timeout(), requireLocked, allowUnverified));
    printResult(out, target, "install", r);
    return 0;
  }
}
