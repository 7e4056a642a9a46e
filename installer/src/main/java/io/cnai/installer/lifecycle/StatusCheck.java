package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.installer.helm.HelmReleases;
import io.cnai.installer.helm.Manifest;
import io.cnai.installer.helm.Manifests;
import io.cnai.installer.helm.RenderedChart;
import io.cnai.installer.kube.Applier;
import io.cnai.installer.kube.ObjectDiff;
import io.cnai.installer.kube.ObjectRef;
import io.cnai.installer.kube.Readiness;
import io.cnai.installer.plan.Canonical;
import io.cnai.revision.StackRevision.ComponentRevision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares the cluster with a deployed revision: Helm releases (present, deployed, chart, revision,
 * values), every object cnai or Helm applied (present, ready) and its contents (a server-side
 * dry-run apply of what was deployed, compared with the live object: a difference is a field
 * changed outside cnai). Helm components are compared with the manifest Helm stored; manifest
 * components with their rendered objects.
 */
final class StatusCheck {
  private final StackContext ctx;

  StatusCheck(StackContext ctx) {
    this.ctx = ctx;
  }

  /** {@code rendered}: the rendered objects of manifest components (those missing are checked for presence only). */
  StackStatus check(RevisionStore.Stored last, Map<String, RenderedChart> rendered, List<String> notes) {
    HelmReleases helm = ctx.helm();
    Applier applier = ctx.applier();
    Map<String, ComponentRevision> byName = Specs.byName(last.revision());
    List<StackStatus.Component> out = new ArrayList<>();
    List<String> all = new ArrayList<>();
    boolean allReady = true;
    for (ComponentSpec s : last.specs()) {
      List<String> drift = new ArrayList<>();
      String live = "present";
      ComponentRevision rec = byName.get(s.name());
      if (rec != null && !"deployed".equals(rec.status())) {
        drift.add(rec.status() + " in stack revision " + last.revision().revision());
      }
      if (s.helm()) {
        HelmReleases.Record cur = helm.current(s.name(), s.namespace());
        if (cur == null) {
          drift.add("Helm release " + s.namespace() + "/" + s.name() + " is missing");
          live = "missing";
        } else {
          live = helmDrift(s, cur, byName.get(s.name()), drift);
        }
      } else if (rendered.containsKey(s.name())) {
        RenderedChart r = rendered.get(s.name());
        List<Manifest> objects = new ArrayList<>(r.crds());
        objects.addAll(r.resources());
        drift.addAll(contentDrift(s, objects));
      }
      boolean ready = true;
      for (ObjectRef r : ctx.inventory().read(s.name())) {
        var obj = applier.get(r);
        if (obj == null) {
          drift.add(r.id() + " is missing");
          ready = false;
        } else if (Readiness.watched(r) && !Readiness.ready(obj)) {
          ready = false;
        }
      }
      allReady &= ready;
      drift.forEach(x -> all.add(s.name() + ": " + x));
      out.add(new StackStatus.Component(s.name(), s.namespace(), s.reference(), live, ready, drift));
    }
    return new StackStatus(last.revision(), out, all, allReady, List.copyOf(notes));
  }

  /** Drift of a Helm component's release and objects; returns how the release stands. */
  private String helmDrift(ComponentSpec s, HelmReleases.Record cur, ComponentRevision rec, List<String> drift) {
    HelmReleases helm = ctx.helm();
    String chart = helm.chart(s.name(), s.namespace());
    String live = (chart == null ? "?" : chart) + " (Helm revision " + cur.version() + ", " + cur.status() + ")";
    if (!"deployed".equals(cur.status())) {
      drift.add("Helm release " + s.name() + " is " + cur.status());
    }
    if (chart != null && !chart.equals(s.chart() + "-" + s.version())) {
      drift.add("chart " + chart + " runs instead of " + s.chart() + "-" + s.version());
    }
    if (rec != null && "deployed".equals(rec.status()) && rec.helmRevision() != cur.version()) {
      drift.add("Helm revision " + cur.version() + " instead of " + rec.helmRevision() + " (changed outside cnai)");
    }
    Map<String, Object> values = helm.values(s.name(), s.namespace());
    if (values != null && !Canonical.sha256(values).equals(s.valuesDigest())) {
      drift.add("values digest " + Canonical.sha256(values) + " instead of " + s.valuesDigest());
    }
    String manifest = helm.manifest(s.name(), s.namespace(), cur.version());
    if (manifest != null) {
      drift.addAll(contentDrift(s, Manifests.split(manifest, "Helm release " + s.name())));
    }
    return live;
  }

  /** Objects whose live contents differ from what a dry-run apply of the deployed object gives. */
  private List<String> contentDrift(ComponentSpec s, List<Manifest> objects) {
    Applier applier = ctx.applier();
    List<String> out = new ArrayList<>();
    for (Manifest m : objects) {
      Ownership.Meta meta = Ownership.meta(s, m.isCrd());
      Map<String, String> labels = meta == null ? Map.of() : meta.labels();
      Map<String, String> annotations = meta == null ? Map.of() : meta.annotations();
      try {
        var desired = applier.prepare(m.yaml(), s.namespace(), labels, annotations);
        var live = applier.get(ObjectRef.of(desired));
        if (live == null || live.getMetadata().getDeletionTimestamp() != null) {
          continue; // missing objects are reported from the inventory
        }
        List<String> d = ObjectDiff.diff(live, applier.dryRunApply(desired));
        if (!d.isEmpty()) {
          out.add(ObjectRef.of(desired).id() + " changed outside cnai: " + String.join("; ", d));
        }
      } catch (RuntimeException e) {
        out.add(m.id() + " cannot be compared: " + String.valueOf(e instanceof CnaiException c ? c.problem() : e.getMessage())
            .lines().findFirst().orElse(""));
      }
    }
    return out;
  }
}
