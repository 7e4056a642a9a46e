package io.cnai.installer.lock;

import io.cnai.core.CnaiException;
import io.cnai.distro.Component;
import io.cnai.distro.Distribution;
import io.cnai.distro.DistributionLoader;
import io.cnai.distro.LockfileEditor;
import io.cnai.distro.Source;
import io.cnai.installer.charts.ChartCache;
import io.cnai.installer.charts.ChartCoordinates;
import io.cnai.installer.helm.HelmJavaRenderer;
import io.cnai.installer.render.StackRenderer;
import io.cnai.installer.charts.ChartRepositoryClient;
import io.cnai.installer.charts.ResolvedChart;
import io.cnai.installer.plan.Canonical;
import io.cnai.installer.render.ManifestSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Resolves the digests of a lockfile's charts, subcharts and manifests from their real sources and
 * writes them into the file, keeping its comments and layout.
 *
 * <p>A digest already in the lock is checked, never silently replaced: a different digest upstream
 * is a {@link Outcome#MISMATCH} (the same version was republished, or tampered with) unless
 * {@code update} is set. Artifacts that cannot be reached are reported and left as they were.
 */
public final class Locker {
  private final ChartRepositoryClient charts;
  private final ManifestSources manifests;
  private final StackRenderer renderer;

  /** Checks provides.crds with the standard renderer: charts cached under CNAI_CACHE, helm-java. */
  public Locker(ChartRepositoryClient charts, ManifestSources manifests) {
    this(charts, manifests, new StackRenderer(
        new ChartCache(ChartCache.defaultRoot(System.getenv()), charts), manifests, new HelmJavaRenderer()));
  }

  /** @param renderer renders each component after locking, to check its provides.crds (see {@link ProvidedCrds}) */
  public Locker(ChartRepositoryClient charts, ManifestSources manifests, StackRenderer renderer) {
    this.charts = charts;
    this.manifests = manifests;
    this.renderer = renderer;
  }

  public enum Outcome {
    LOCKED,
    UNCHANGED,
    UPDATED,
    MISMATCH,
    FAILED
  }

  public record Entry(String component, String artifact, Outcome outcome, String before, String after, String message) {}

  public record Report(Path file, List<Entry> entries, boolean written, List<String> notes) {
    public boolean has(Outcome o) {
      return entries.stream().anyMatch(e -> e.outcome() == o);
    }
  }

  /** Options: which components (empty = all), whether a changed digest may replace a locked one, dry run. */
  public record Options(Set<String> components, boolean update, boolean dryRun) {}

  public Report lock(Path file, Options options) {
    byte[] original;
    try {
      original = Files.readAllBytes(file);
    } catch (IOException e) {
      throw CnaiException.badInput(file + ": cannot be read: " + e.getMessage(), "check the path");
    }
    Distribution d = DistributionLoader.load(file);
    for (String c : options.components()) {
      if (d.component(c).isEmpty()) {
        throw CnaiException.badInput("no component '" + c + "' in " + file, "known components: " + String.join(", ", d.componentNames()));
      }
    }
    LockfileEditor editor = new LockfileEditor(file.toString(), new String(original, java.nio.charset.StandardCharsets.UTF_8));
    List<Entry> entries = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Component c : d.components()) {
      if (!options.components().isEmpty() && !options.components().contains(c.name())) {
        continue;
      }
      Source s = c.source();
      Entry e;
      if (s instanceof Source.Helm h) {
        ChartCoordinates coords = new ChartCoordinates(h.repository(), h.chart(), h.version());
        e = resolveChart(c.name(), coords, h.digest(), options.update(), notes, c);
        if (changes(e)) {
          editor.setSourceDigest(c.name(), e.after());
        }
        entries.add(e);
        for (Component.Subchart sc : c.subcharts()) {
          Entry se = resolveChart(c.name(), new ChartCoordinates(sc.repository(), sc.name(), sc.version()), sc.digest(), options.update(), notes, null);
          if (changes(se)) {
            editor.setSubchartDigest(c.name(), sc.name(), se.after());
          }
          entries.add(se);
        }
      } else {
        e = resolveManifest(c.name(), s, options.update());
        if (changes(e)) {
          editor.setSourceDigest(c.name(), e.after());
        }
        entries.add(e);
      }
    }
    checkProvides(file, editor.text(), options, entries);
    boolean changed = !editor.text().equals(new String(original, java.nio.charset.StandardCharsets.UTF_8));
    if (changed && !options.dryRun()) {
      // the result must still be a valid lockfile before it replaces the original
      DistributionLoader.parse(file.toString(), editor.text());
      try {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".lock", ".tmp");
        Files.writeString(tmp, editor.text());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException ex) {
        throw CnaiException.failure("cannot write " + file + ": " + ex.getMessage(), "check permissions; the file was not changed");
      }
    }
    return new Report(file, entries, changed && !options.dryRun(), notes);
  }

  /**
   * Renders every component that was resolved (with the digests just found) and checks that the
   * CRDs its provides.crds lists come out of it: each one missing is a FAILED entry naming the
   * component and the group or kind. Components whose artifacts failed or mismatched are not
   * rendered (they already have an entry that says why).
   */
  private void checkProvides(Path file, String text, Options options, List<Entry> entries) {
    Set<String> bad = new java.util.HashSet<>();
    Set<String> resolved = new java.util.LinkedHashSet<>();
    for (Entry e : entries) {
      resolved.add(e.component());
      if (e.outcome() == Outcome.FAILED || e.outcome() == Outcome.MISMATCH) {
        bad.add(e.component());
      }
    }
    resolved.removeAll(bad);
    if (resolved.isEmpty()) {
      return;
    }
    Distribution locked = DistributionLoader.parse(file.toString(), text);
    ProvidedCrds.Result r = ProvidedCrds.check(locked, renderer, resolved);
    for (ProvidedCrds.Missing m : r.missing()) {
      entries.add(new Entry(m.component(), "provides " + m.describe(), Outcome.FAILED, null, null,
          "the lockfile says it provides CRDs of " + m.describe() + ", but its render has no such CustomResourceDefinition;"
              + " fix its source (or values) so that they render, or remove them from 'provides'"));
    }
    r.notChecked().forEach((c, why) -> entries.add(new Entry(c, "provides (not checked)", Outcome.FAILED, null, null,
        "could not render it to check its provides.crds: " + why)));
  }

  private static boolean changes(Entry e) {
    return e.outcome() == Outcome.LOCKED || e.outcome() == Outcome.UPDATED;
  }

  private Entry resolveChart(String component, ChartCoordinates coords, String before, boolean update, List<String> notes, Component declaring) {
    String artifact = "chart " + coords.describe();
    try {
      ResolvedChart r = charts.resolve(coords);
      String digest = r.digest();
      if (digest == null) {
        Path tmp = Files.createTempFile("cnai-lock", ".tgz");
        try {
          charts.download(r, tmp);
          digest = Canonical.sha256(Files.readAllBytes(tmp));
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      if (declaring != null) {
        for (ChartCoordinates dep : r.dependencies()) {
          boolean pinned = declaring.subcharts().stream().anyMatch(s -> s.name().equals(dep.chart()));
          if (!pinned && !dep.repository().equals(coords.repository())) {
            notes.add("component '" + component + "': chart " + coords.chart() + " depends on " + dep.chart() + " " + dep.version()
                + " from " + dep.repository() + ", which is not pinned in 'subcharts' (fine if the chart archive bundles it)");
          }
        }
      }
      return compare(component, artifact, before, digest, update);
    } catch (CnaiException ex) {
      if (ex.kind() == io.cnai.core.ErrorKind.VERIFICATION) {
        return new Entry(component, artifact, Outcome.MISMATCH, before, null, ex.problem());
      }
      return new Entry(component, artifact, Outcome.FAILED, before, null, ex.problem());
    } catch (IOException ex) {
      return new Entry(component, artifact, Outcome.FAILED, before, null, ex.getMessage());
    }
  }

  private Entry resolveManifest(String component, Source s, boolean update) {
    String artifact = s.type() + " " + s.reference();
    Source fresh =
        s instanceof Source.Manifest m
            ? new Source.Manifest(m.url(), null)
            : new Source.Kustomize(((Source.Kustomize) s).repository(), ((Source.Kustomize) s).ref(), ((Source.Kustomize) s).path(), null);
    try {
      String digest = manifests.fetch(component, fresh).digest();
      return compare(component, artifact, s.digest(), digest, update);
    } catch (CnaiException ex) {
      return new Entry(component, artifact, Outcome.FAILED, s.digest(), null, ex.problem());
    }
  }

  private static Entry compare(String component, String artifact, String before, String after, boolean update) {
    if (before == null) {
      return new Entry(component, artifact, Outcome.LOCKED, null, after, "locked");
    }
    if (before.equals(after)) {
      return new Entry(component, artifact, Outcome.UNCHANGED, before, after, "unchanged");
    }
    if (update) {
      return new Entry(component, artifact, Outcome.UPDATED, before, after, "digest changed upstream; updated (--update)");
    }
    return new Entry(component, artifact, Outcome.MISMATCH, before, after,
        "the source now has digest " + after + " but the lock says " + before);
  }
}
