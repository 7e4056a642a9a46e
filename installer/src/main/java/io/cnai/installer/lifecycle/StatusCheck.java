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

  /** Requests in flight at once: the API server answers GETs and dry-runs concurrently. */
  static final int PARALLEL = 16;

  /** {@code rendered}: the rendered objects of manifest components (those missing are checked for presence only). */
  StackStatus check(RevisionStore.Stored last, Map<String, RenderedChart> rendered, List<String> notes) {
    Map<String, ComponentRevision> byName = Specs.byName(last.revision());
    // components on threads of their own (they wait for their requests), requests on a bounded pool
    java.util.concurrent.ExecutorService components = Parallel.pool("cnai-status", 0);
    java.util.concurrent.ExecutorService requests = Parallel.pool("cnai-status-get", PARALLEL);
    try {
      Lookups live = new Lookups(ctx.applier(), requests, CleanObjects.of(ctx.access().server()));
      // every component's inventory from one request, alongside the Helm records the components read
      java.util.concurrent.Future<Map<String, java.util.Set<ObjectRef>>> inventories = requests.submit(() -> ctx.inventory().readAll());
      List<java.util.concurrent.Future<StackStatus.Component>> futures = new ArrayList<>();
      for (ComponentSpec s : last.specs()) {
        futures.add(components.submit(() -> component(s, byName.get(s.name()), last, rendered, live, inventories)));
      }
      List<StackStatus.Component> out = new ArrayList<>();
      List<String> all = new ArrayList<>();
      boolean allReady = true;
      for (var f : futures) {
        StackStatus.Component c = Parallel.join(f);
        allReady &= c.ready();
        c.drift().forEach(x -> all.add(c.name() + ": " + x));
        out.add(c);
      }
      live.clean().save();
      return new StackStatus(last.revision(), out, all, allReady, List.copyOf(notes));
    } finally {
      components.shutdownNow();
      requests.shutdownNow();
    }
  }

  private StackStatus.Component component(ComponentSpec s, ComponentRevision rec, RevisionStore.Stored last,
      Map<String, RenderedChart> rendered, Lookups live, java.util.concurrent.Future<Map<String, java.util.Set<ObjectRef>>> inventories) {
    List<String> drift = new ArrayList<>();
    String state = "present";
    if (rec != null && !"deployed".equals(rec.status())) {
      drift.add(rec.status() + " in stack revision " + last.revision().revision());
    }
    if (s.helm()) {
      HelmReleases.Latest cur = ctx.helm().latest(s.name(), s.namespace());
      if (cur == null) {
        drift.add("Helm release " + s.namespace() + "/" + s.name() + " is missing");
        state = "missing";
      } else {
        state = helmDrift(s, cur.record(), cur.stored(), rec, drift, live);
      }
    } else if (rendered.containsKey(s.name())) {
      RenderedChart r = rendered.get(s.name());
      List<Manifest> objects = new ArrayList<>(r.crds());
      objects.addAll(r.resources());
      drift.addAll(contentDrift(s, objects, live, rec == null || "deployed".equals(rec.status())));
    }
    // a component that failed, or was never attempted, is not ready whatever of it is live
    boolean ready = rec == null || "deployed".equals(rec.status());
    List<ObjectRef> refs = new ArrayList<>(Parallel.join(inventories).getOrDefault(s.name(), java.util.Set.of()));
    List<java.util.concurrent.Future<io.fabric8.kubernetes.api.model.GenericKubernetesResource>> objs = new ArrayList<>();
    refs.forEach(r -> objs.add(live.get(r)));
    for (int i = 0; i < refs.size(); i++) {
      ObjectRef r = refs.get(i);
      var obj = Parallel.join(objs.get(i));
      if (obj == null) {
        drift.add(r.id() + " is missing");
        ready = false;
      } else if (Readiness.watched(r) && !Readiness.ready(obj)) {
        ready = false;
      }
    }
    return new StackStatus.Component(s.name(), s.namespace(), s.reference(), state, ready, drift);
  }

  /** Drift of a Helm component's release and objects; returns how the release stands. */
  private String helmDrift(ComponentSpec s, HelmReleases.Record cur, HelmReleases.Stored stored, ComponentRevision rec,
      List<String> drift, Lookups live) {
    String chart = stored == null ? null : stored.chart();
    String state = (chart == null ? "?" : chart) + " (Helm revision " + cur.version() + ", " + cur.status() + ")";
    if (!"deployed".equals(cur.status())) {
      drift.add("Helm release " + s.name() + " is " + cur.status());
    }
    if (chart != null && !chart.equals(s.chart() + "-" + s.version())) {
      drift.add("chart " + chart + " runs instead of " + s.chart() + "-" + s.version());
    }
    if (rec != null && "deployed".equals(rec.status()) && rec.helmRevision() != cur.version()) {
      drift.add("Helm revision " + cur.version() + " instead of " + rec.helmRevision() + " (changed outside cnai)");
    }
    if (stored != null && !Canonical.sha256(stored.values()).equals(s.valuesDigest())) {
      drift.add("values digest " + Canonical.sha256(stored.values()) + " instead of " + s.valuesDigest());
    }
    if (stored != null) {
      drift.addAll(contentDrift(s, Manifests.split(stored.manifest(), "Helm release " + s.name()), live, true));
    }
    return state;
  }

  /**
   * Objects whose live contents differ from what a dry-run apply of the deployed object gives; compared concurrently.
   * {@code applied}: whether the component was deployed; when it failed or was not attempted, a live
   * object without its component label is one it never applied (another component's Namespace, say),
   * not one changed outside cnai.
   */
  private List<String> contentDrift(ComponentSpec s, List<Manifest> objects, Lookups live, boolean applied) {
    Applier applier = ctx.applier();
    Ownership.Meta crdMeta = Ownership.meta(s, true);
    Ownership.Meta meta = Ownership.meta(s, false);
    List<java.util.concurrent.Future<String>> diffs = new ArrayList<>();
    for (Manifest m : objects) {
      Ownership.Meta mm = m.isCrd() ? crdMeta : meta;
      Map<String, String> labels = mm == null ? Map.of() : mm.labels();
      Map<String, String> annotations = mm == null ? Map.of() : mm.annotations();
      diffs.add(live.pool().submit(() -> {
        try {
          var desired = applier.prepare(m.yaml(), s.namespace(), labels, annotations);
          var obj = live.fetch(ObjectRef.of(desired));
          if (obj == null || obj.getMetadata().getDeletionTimestamp() != null) {
            return null; // missing objects are reported from the inventory
          }
          java.util.Map<String, String> liveLabels = obj.getMetadata().getLabels();
          if (!applied && (liveLabels == null || !s.name().equals(liveLabels.get(Applier.COMPONENT_LABEL)))) {
            return ObjectRef.of(desired).id() + " exists, but '" + s.name() + "' did not apply it (it carries no "
                + Applier.COMPONENT_LABEL + "=" + s.name() + ")";
          }
          String uid = obj.getMetadata().getUid();
          String version = obj.getMetadata().getResourceVersion();
          String digest = Canonical.sha256(io.cnai.installer.json.Mappers.JSON.writeValueAsBytes(desired));
          if (live.clean().clean(uid, version, digest)) {
            return null; // not written since it compared clean against this very object
          }
          List<String> d = ObjectDiff.diff(obj, applier.dryRunApply(desired));
          if (d.isEmpty()) {
            live.clean().found(uid, version, digest);
            return null;
          }
          return ObjectRef.of(desired).id() + " changed outside cnai: " + String.join("; ", d);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
          return m.id() + " cannot be compared: " + String.valueOf(e instanceof CnaiException c ? c.problem() : e.getMessage())
              .lines().findFirst().orElse("");
        }
      }));
    }
    List<String> out = new ArrayList<>();
    for (var f : diffs) {
      String d = Parallel.join(f);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** Live objects, each fetched once per check (the content comparison and the inventory ask for the same ones). */
  private record Lookups(Applier applier, java.util.concurrent.ExecutorService pool, CleanObjects clean,
      java.util.concurrent.ConcurrentHashMap<ObjectRef, java.util.concurrent.CompletableFuture<java.util.Optional<io.fabric8.kubernetes.api.model.GenericKubernetesResource>>> cache) {
    Lookups(Applier applier, java.util.concurrent.ExecutorService pool, CleanObjects clean) {
      this(applier, pool, clean, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** The object, fetched on the calling thread unless another thread already did. */
    io.fabric8.kubernetes.api.model.GenericKubernetesResource fetch(ObjectRef ref) {
      var mine = new java.util.concurrent.CompletableFuture<java.util.Optional<io.fabric8.kubernetes.api.model.GenericKubernetesResource>>();
      var f = cache.putIfAbsent(ref, mine);
      if (f == null) {
        try {
          mine.complete(java.util.Optional.ofNullable(applier.get(ref)));
        } catch (RuntimeException e) {
          mine.completeExceptionally(e);
        }
        f = mine;
      }
      return Parallel.join(f).orElse(null);
    }

    /** The object, fetched on the pool. */
    java.util.concurrent.Future<io.fabric8.kubernetes.api.model.GenericKubernetesResource> get(ObjectRef ref) {
      return pool.submit(() -> fetch(ref));
    }
  }
}
