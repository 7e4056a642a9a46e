package io.cnai.installer.cli;

import io.cnai.distro.Distribution;
import io.cnai.profiles.Profile;
import io.cnai.profiles.ProfileResolver;
import io.cnai.profiles.ResolvedProfile;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** 'cnai profile list|show'. */
@Command(
    mixinStandardHelpOptions = true,
    name = "profile",
    description = "List and show profiles: how the distribution is shaped for a kind of target.",
    subcommands = {ProfileCommand.ListCmd.class, ProfileCommand.ShowCmd.class})
public final class ProfileCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(mixinStandardHelpOptions = true, name = "list", description = "List the profiles.", footer = {"", "Example:", "  cnai profile list"})
  static final class ListCmd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StackOptions stack;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json.")
    OutputFormat output;

    @Override
    public Integer call() {
      Map<String, Profile> profiles = stack.loadProfiles();
      PrintWriter out = spec.commandLine().getOut();
      if (output != OutputFormat.TABLE) {
        Map<String, Object> data = new LinkedHashMap<>();
        profiles.values().forEach(p -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("extends", p.extendsName());
          m.put("description", p.description());
          data.put(p.name(), m);
        });
        OutputFormat.writeData(out, data, output);
        return 0;
      }
      Table t = new Table("NAME", "EXTENDS", "DESCRIPTION");
      profiles.values().forEach(p -> t.row(p.name(), p.extendsName(), p.description()));
      t.print(out);
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "show", description = "Show a profile resolved against the distribution.", footer = {"", "Example:", "  cnai profile show laptop --output yaml"})
  static final class ShowCmd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StackOptions stack;

    @Parameters(index = "0", paramLabel = "NAME", description = "The profile.")
    String name;

    @Option(names = {"-o", "--output"}, defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() {
      Distribution d = stack.loadDistribution();
      ResolvedProfile p = ProfileResolver.resolve(stack.loadProfiles(), name, d);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("name", p.name());
      data.put("chain", p.chain());
      data.put("distribution", d.version());
      data.put("enabled", p.enabled().stream().sorted().toList());
      data.put("disabled", d.componentNames().stream().filter(c -> !p.enabled().contains(c)).toList());
      Map<String, Object> req = new LinkedHashMap<>();
      Profile.Requirements r = p.requirements();
      req.put("kubernetes", (r.kubernetesMin() == null ? "" : ">=" + r.kubernetesMin().minorLine()) + (r.kubernetesMax() == null ? "" : " <=" + r.kubernetesMax().minorLine()));
      req.put("cpu", r.cpu());
      req.put("memory", r.memory());
      req.put("gpus", r.gpus());
      req.put("gpuProduct", r.gpuProduct());
      req.put("storageClass", r.storageClass());
      data.put("requirements", req);
      if (p.gpu() != null) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("sharing", p.gpu().mode().word);
        g.put("replicas", p.gpu().replicas());
        g.put("migStrategy", p.gpu().migStrategy());
        data.put("gpu", g);
      }
      if (p.cloud() != null) {
        data.put("cloud", p.cloud().provider());
      }
      data.put("values", new java.util.TreeMap<>(p.values()));
      OutputFormat.writeData(spec.commandLine().getOut(), data, output == OutputFormat.TABLE ? OutputFormat.YAML : output);
      return 0;
    }
  }
}
