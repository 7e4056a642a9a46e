package io.cnai.installer.cli;

import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.distro.KubeVersion;
import io.cnai.core.CnaiException;
import io.cnai.installer.lifecycle.PlanSource;
import io.cnai.installer.plan.Overrides;
import io.cnai.installer.plan.Plan;
import io.cnai.installer.plan.PlanPolicy;
import io.cnai.installer.plan.Planner;
import io.cnai.installer.plan.TargetFacts;
import io.cnai.profiles.Profile;
import io.cnai.profiles.ProfileLoader;
import io.cnai.profiles.ProfileResolver;
import io.cnai.profiles.ResolvedProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that plans: which release, which profile, which overrides. */
public final class StackOptions {
  @Option(names = "--distribution", paramLabel = "FILE", description = "Distribution lockfile (default: the newest release in distro/releases).")
  Path distribution;

  @Option(names = "--profiles-dir", paramLabel = "DIR", description = "Folder of profile files (default: profiles/).")
  Path profilesDir;

  @Option(names = {"-p", "--profile"}, paramLabel = "NAME", description = "Profile to plan for: kind, laptop, eks, gke ... (default: ${DEFAULT-VALUE}).", defaultValue = "kind")
  String profile;

  @Option(names = "--set", paramLabel = "COMPONENT.KEY=VALUE", description = "Override one value, as Helm's --set, prefixed by the component name; repeatable.")
  List<String> sets = new ArrayList<>();

  @Option(names = {"-f", "--values"}, paramLabel = "FILE", description = "YAML file of values keyed by component name; repeatable, later files win.")
  List<Path> valueFiles = new ArrayList<>();

  @Option(names = "--allow-kube-version", paramLabel = "VERSION",
      description = "Plan for this Kubernetes minor version although the release and profile were not verified on it (e.g. 1.37); the plan warns and records it.")
  String allowKubeVersion;

  @Option(names = "--kube-version", paramLabel = "VERSION", description = "Kubernetes version of the target when no cluster is given (default: the profile's minimum).")
  String kubeVersion;

  /** The lockfile: --distribution, else the newest release. */
  Path distributionFile() {
    return distribution != null ? distribution : CnaiRoot.latestDistribution();
  }

  Distribution loadDistribution() {
    return DistributionLoader.load(distributionFile());
  }

  Map<String, Profile> loadProfiles() {
    return ProfileLoader.loadDirectory(profilesDir != null ? profilesDir : CnaiRoot.profilesDir());
  }

  KubeVersion kubeVersion() {
    if (kubeVersion == null) {
      return null;
    }
    KubeVersion v = KubeVersion.parseOrNull(kubeVersion);
    if (v == null) {
      throw CnaiException.badInput("--kube-version '" + kubeVersion + "' is not a Kubernetes version", "write a version such as 1.35 or v1.35.2");
    }
    return v;
  }

  /** Loads everything and plans against facts assumed from the profile. */
  Plan plan() {
    Distribution d = loadDistribution();
    ResolvedProfile p = ProfileResolver.resolve(loadProfiles(), profile, d);
    TargetFacts facts = Planner.assumedFacts(d, p, kubeVersion());
    return Planner.plan(d, p, facts, Overrides.parse(valueFiles, sets), PlanPolicy.allowingKubeVersion(allowKubeVersion));
  }

  /** Loads everything now (bad input is said before the cluster is touched) and plans later, against the live cluster's facts. */
  PlanSource planSource() {
    Path file = distributionFile();
    Distribution d = loadDistribution();
    ResolvedProfile p = ProfileResolver.resolve(loadProfiles(), profile, d);
    Map<String, Map<String, Object>> overrides = Overrides.parse(valueFiles, sets);
    PlanPolicy policy = PlanPolicy.allowingKubeVersion(allowKubeVersion);
    return new PlanSource() {
      @Override
      public Path distributionFile() {
        return file;
      }

      @Override
      public Plan plan(TargetFacts facts) {
        return Planner.plan(d, p, facts, overrides, policy);
      }
    };
  }
}
