package io.cnai.installer.cli;

import io.cnai.core.CnaiException;
import io.cnai.installer.charts.ChartCache;
import io.cnai.installer.charts.ChartRepositories;
import io.cnai.installer.lock.Locker;
import io.cnai.installer.render.ManifestSources;
import io.cnai.installer.render.StackRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** 'cnai distro lock': resolves digests online and records them in the lockfile. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description = "Resolve chart, subchart and manifest digests from their real sources and record them in the lockfile, keeping its comments.",
    footer = {
      "",
      "A digest already locked is checked, never silently replaced: a different one upstream is refused (exit 3) unless --update.",
      "Kustomize sources are rendered with kustomize (CNAI_KUSTOMIZE, the tools cache, or PATH) and pinned by the digest of the output.",
      "Digests are resolved from the upstream locations the lockfile names, never through a mirrors file: the lock is what mirrors are checked against.",
      "",
      "Examples:",
      "  cnai distro lock",
      "  cnai distro lock distro/releases/2026.11/distribution.yaml --component kueue --component volcano",
      "  cnai distro lock --dry-run"
    })
public final class LockCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Lockfile (default: the newest release).")
  Path file;

  @Option(names = "--component", paramLabel = "NAME", description = "Lock only these components (repeatable).")
  List<String> components = new ArrayList<>();

  @Option(names = "--update", description = "Replace a locked digest that changed upstream.")
  boolean update;

  @Option(names = "--dry-run", description = "Resolve and report, but do not write the file.")
  boolean dryRun;

  @Override
  public Integer call() {
    Path f = DistroCommand.fileOrLatest(file);
    Path cacheRoot = ChartCache.defaultRoot(System.getenv());
    Locker locker = new Locker(ChartRepositories.standard(), new ManifestSources(StackRenderer.manifestCacheRoot(cacheRoot)));
    Locker.Report report = locker.lock(f, new Locker.Options(new LinkedHashSet<>(components), update, dryRun));
    PrintWriter out = spec.commandLine().getOut();
    Table t = new Table("COMPONENT", "ARTIFACT", "OUTCOME", "DIGEST");
    for (Locker.Entry e : report.entries()) {
      String d = e.after() != null ? e.after() : e.before();
      t.row(e.component(), e.artifact(), e.outcome().name().toLowerCase(java.util.Locale.ROOT), d == null ? "-" : d.substring(0, Math.min(19, d.length())));
    }
    t.print(out);
    PrintWriter err = spec.commandLine().getErr();
    for (String n : report.notes()) {
      err.println("note: " + n);
    }
    for (Locker.Entry e : report.entries()) {
      if (e.outcome() == Locker.Outcome.FAILED || e.outcome() == Locker.Outcome.MISMATCH) {
        err.println(e.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.component() + ": " + e.message());
      }
    }
    err.flush();
    out.println(report.written() ? "Wrote " + f : (dryRun ? "Dry run: " + f + " not written" : f + " unchanged"));
    out.flush();
    if (report.has(Locker.Outcome.MISMATCH)) {
      throw CnaiException.refused(
          "some locked digests differ from what their sources publish now (listed above); those were not changed",
          "find out why the same version changed upstream; if it is expected, run again with --update");
    }
    if (report.has(Locker.Outcome.FAILED)) {
      throw CnaiException.failure("some artifacts could not be resolved (listed above); the others were locked", "check the network or the sources, and run again");
    }
    return 0;
  }
}
