package io.cnai.installer.cli;

import io.cnai.distro.Component;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.core.CnaiException;
import io.cnai.installer.lock.ProvidedCrds;
import io.cnai.installer.plan.PlanView;
import io.cnai.installer.render.Mirrors;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** 'cnai distro show|validate|lock'. */
@Command(
    mixinStandardHelpOptions = true,
    name = "distro",
    description = "Show, validate, lock, sign and verify distribution releases.",
    subcommands = {DistroCommand.Show.class, DistroCommand.Validate.class, LockCommand.class, DistroSignCommand.class, DistroVerifyCommand.class, DistroKeygenCommand.class, DistroTrustCommand.class})
public final class DistroCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Path fileOrLatest(Path file) {
    return file != null ? file : CnaiRoot.latestDistribution();
  }

  @Command(mixinStandardHelpOptions = true, name = "show", description = "Show the components of a release.", footer = {"", "Example:", "  cnai distro show --output json"})
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Lockfile (default: the newest release).")
    Path file;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json.")
    OutputFormat output;

    @Override
    public Integer call() {
      Distribution d = DistributionLoader.load(fileOrLatest(file));
      PrintWriter out = spec.commandLine().getOut();
      if (output != OutputFormat.TABLE) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", d.name());
        data.put("version", d.version());
        List<Object> comps = new ArrayList<>();
        for (Component c : d.components()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", c.name());
          m.put("namespace", c.namespace());
          m.put("source", PlanView.sourceOf(c.source()));
          m.put("dependsOn", c.dependsOn());
          m.put("capabilities", c.provides().capabilities());
          Map<String, Object> sig = new LinkedHashMap<>();
          sig.put("chart", c.signature().chart().type());
          sig.put("images", c.signature().images().type());
          m.put("signature", sig);
          comps.add(m);
        }
        data.put("components", comps);
        OutputFormat.writeData(out, data, output);
        return 0;
      }
      out.printf("%s %s: %s%n%n", d.name(), d.version(), d.description());
      Table t = new Table("COMPONENT", "NAMESPACE", "SOURCE", "VERSION", "LOCKED", "SIGNED", "PROVIDES");
      for (Component c : d.components()) {
        t.row(c.name(), c.namespace(), c.source().type(), c.source().version(), c.source().locked() ? "yes" : "no",
            c.signature().chart().type(), String.join(",", c.provides().capabilities()));
      }
      t.print(out);
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "validate",
      description = "Check a lockfile strictly; exit 2 with file:line:column when it is wrong.",
      footer = {"", "With --render, every component that provides CRDs is fetched, verified and rendered with its lockfile values,",
        "and each CRD and API group it provides must come out of that render (exit 2 naming what is missing).", "",
        "Examples:", "  cnai distro validate distro/releases/2026.11/distribution.yaml",
        "  cnai distro validate --render --mirrors mirrors.yaml"})
  static final class Validate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Lockfiles (default: the newest release).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--render", description = "Also render each component that provides CRDs and check that they come out of it (fetches).")
    boolean render;

    @Option(names = "--mirrors", paramLabel = "FILE", description = "With --render: fetch through these mirrors (see 'cnai install --help').")
    Path mirrors;

    @Override
    public Integer call() {
      List<Path> all = files.isEmpty() ? List.of(CnaiRoot.latestDistribution()) : files;
      PrintWriter out = spec.commandLine().getOut();
      for (Path f : all) {
        Distribution d = DistributionLoader.load(f);
        long unlocked = d.components().stream().filter(c -> !c.source().locked()).count();
        out.printf("%s: valid: distribution %s %s, %d components (%d locked, %d not locked yet)%n",
            f, d.name(), d.version(), d.components().size(), d.components().size() - unlocked, unlocked);
        if (render) {
          ProvidedCrds.Result r = ProvidedCrds.check(d, Mirrors.from(mirrors).renderer(), java.util.Set.of());
          out.printf("%s: rendered %d component(s) that provide CRDs%n", f, r.checked().size());
          out.flush();
          if (!r.missing().isEmpty()) {
            throw ProvidedCrds.error(f, r.missing());
          }
          if (!r.notChecked().isEmpty()) {
            StringBuilder sb = new StringBuilder(f + ": " + r.notChecked().size() + " component(s) could not be rendered, so their provides were not checked:");
            r.notChecked().forEach((c, why) -> sb.append("\n  - ").append(c).append(": ").append(why));
            throw CnaiException.failure(sb.toString(), "fix what each line says (network, mirrors, digests), then run again");
          }
        }
      }
      out.flush();
      return 0;
    }
  }
}
