package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import io.cnai.installer.lifecycle.Progress.Phase;
import io.cnai.installer.plan.Canonical;
import io.cnai.revision.StackRevision;
import io.cnai.revision.StackRevision.Action;
import io.cnai.revision.StackRevision.ComponentRevision;
import io.cnai.revision.StackRevision.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What install, upgrade and rollback share: write a pending stack revision, apply CRDs and waves,
 * remove components the new revision no longer has, and record the result (deployed, or failed).
 */
final class Deployment {
  private final StackContext ctx;
  private final Duration timeout;
  private boolean deletePvcs;
  private Set<String> repair = Set.of();

  Deployment(StackContext ctx, Duration timeout) {
    this.ctx = ctx;
    this.timeout = timeout;
  }

  /** PersistentVolumeClaims of components or objects that go away are deleted too. */
  Deployment deletingPvcs(boolean delete) {
    this.deletePvcs = delete;
    return this;
  }

  /** Components whose objects drifted: applied again even when chart and values are unchanged. */
  Deployment repairing(Set<String> components) {
    this.repair = Set.copyOf(components);
    return this;
  }

  /** Marks revisions left pending by an interrupted command failed, saying so. */
  static void repairRevisions(StackContext ctx) {
    for (int n : ctx.store().repair(ctx.clock().instant())) {
      ctx.progress().event(null, Phase.REPAIR, "stack revision " + n + " was left pending by an interrupted command; marked failed");
    }
  }

  /** Applies a prepared plan as a new revision of {@code action}. */
  StackResult apply(Prepared p, Action action, RevisionStore.Stored last, List<String> changes) {
    List<Deployer.Item> items = p.items(); // rendered before anything is written
    StackRevision pending = StackRevision.builder().revision(ctx.store().nextNumber()).action(action).status(Status.PENDING)
        .distributionName(p.plan().distribution().name()).distributionVersion(p.plan().distribution().version())
        .profile(p.plan().profile().name()).planDigest(p.plan().digest()).valuesDigest(Canonical.sha256(Specs.values(p.specs())))
        .startedAt(ctx.clock().instant()).allowUnverified(p.allowUnverified()).message(action + " in progress").build();
    ctx.store().create(pending, p.specs());
    ctx.progress().event(null, Phase.APPLY, action.name().toLowerCase(Locale.ROOT) + ": stack revision " + pending.revision());
    return finish(pending, p.specs(), items, last, false, changes);
  }

  /** Re-applies what revision {@code to} recorded, newest wave first, as a new ROLLBACK revision. */
  StackRevision rollbackTo(RevisionStore.Stored to) {
    ctx.progress().event(null, Phase.FETCH, "fetching (from the digest cache) and verifying the charts of revision " + to.revision().revision());
    Prepared p = Prepared.recorded(ctx, to.specs(), to.revision());
    List<Deployer.Item> items = p.items();
    RevisionStore.Stored last = ctx.store().lastDeployed();
    StackRevision src = to.revision();
    StackRevision pending = StackRevision.builder().of(src).revision(ctx.store().nextNumber()).action(Action.ROLLBACK).status(Status.PENDING)
        .startedAt(ctx.clock().instant()).message("rollback to revision " + src.revision()).build();
    ctx.store().create(pending, to.specs());
    ctx.progress().event(null, Phase.APPLY, "rollback to revision " + src.revision() + ": stack revision " + pending.revision());
    StackResult r = finish(pending, to.specs(), items, last, true, List.of());
    StackRevision done = r.revision().toBuilder().message("rolled back to revision " + src.revision()).build();
    ctx.store().update(done, to.specs());
    return done;
  }

  private StackResult finish(StackRevision pending, List<ComponentSpec> specs, List<Deployer.Item> items, RevisionStore.Stored last,
      boolean reverse, List<String> changes) {
    Deployer d = ctx.deployer(timeout).repairing(repair);
    Map<String, ComponentRevision> done = new java.util.LinkedHashMap<>();
    try {
      d.applyCrds(items, last == null ? Map.of() : Specs.byName(last.revision()));
      List<List<Deployer.Item>> waves = Webhooks.ordered(Specs.waves(items));
      if (reverse) {
        Collections.reverse(waves);
      }
      d.deploy(waves, last == null ? Map.of() : Specs.byName(last.revision()), deletePvcs, done);
      if (last != null) {
        Set<String> now = new HashSet<>();
        specs.forEach(s -> now.add(s.name()));
        List<ComponentSpec> gone = new ArrayList<>(mayBeLive(ctx.store(), last).stream().filter(s -> !now.contains(s.name())).toList());
        gone.sort((a, b) -> b.wave() - a.wave());
        Remover remover = new Remover(ctx, timeout);
        for (ComponentSpec s : gone) {
          remover.remove(s, deletePvcs, false);
        }
      }
      List<ComponentRevision> comps = specs.stream().map(s -> done.get(s.name())).toList();
      StackRevision deployed = pending.toBuilder().status(Status.DEPLOYED).finishedAt(ctx.clock().instant())
          .message(pending.action() + " complete").components(comps).build();
      ctx.store().update(deployed, specs);
      if (last != null) {
        ctx.store().update(last.revision().toBuilder().status(Status.SUPERSEDED).finishedAt(ctx.clock().instant()).build(), last.specs());
      }
      ctx.progress().event(null, Phase.DONE, "stack revision " + deployed.revision() + " deployed");
      return new StackResult(deployed, true, changes);
    } catch (CnaiException e) {
      // every component, as far as it got: deployed, failed, or not attempted
      List<ComponentRevision> comps = specs.stream().map(s -> done.getOrDefault(s.name(), Deployer.record(s, 0, "not attempted"))).toList();
      ctx.store().update(pending.toBuilder().status(Status.FAILED).finishedAt(ctx.clock().instant()).message(e.problem())
          .components(comps).build(), specs);
      ctx.progress().event(null, Phase.FAIL, "stack revision " + pending.revision() + " failed");
      throw e;
    }
  }

  /**
   * The components that may have objects on the cluster: those of the last deployed revision, and
   * those of every attempt after it (a failed or interrupted upgrade may have created components that
   * the revision rolled back to, or upgraded to next, does not have). Newest spec of each name first.
   */
  static List<ComponentSpec> mayBeLive(RevisionStore store, RevisionStore.Stored last) {
    Map<String, ComponentSpec> out = new java.util.LinkedHashMap<>();
    List<RevisionStore.Stored> all = new ArrayList<>(store.list());
    Collections.reverse(all);
    for (RevisionStore.Stored r : all) {
      if (r.revision().revision() >= last.revision().revision()) {
        r.specs().forEach(s -> out.putIfAbsent(s.name(), s));
      }
    }
    last.specs().forEach(s -> out.putIfAbsent(s.name(), s));
    return List.copyOf(out.values());
  }

  /**
   * The live status against the deployed revision when it has the plan's components, digests and
   * values ({@code null} otherwise: everything is applied anyway). Drift found is reported as to repair.
   */
  static StackStatus liveStatus(StackContext ctx, RevisionStore.Stored last, Prepared p) {
    if (!Specs.deployedAsPlanned(last, p.specs())) {
      return null;
    }
    StackStatus st = new StatusCheck(ctx).check(last, p.manifestObjects(), new ArrayList<>());
    for (String d : st.drift()) {
      ctx.progress().event(null, Phase.REPAIR, "drift: " + d);
    }
    return st;
  }

  /** The components with drift in {@code st}, to apply again. */
  static Set<String> drifted(StackStatus st) {
    Set<String> out = new TreeSet<>();
    if (st != null) {
      st.components().stream().filter(c -> !c.drift().isEmpty()).forEach(c -> out.add(c.name()));
    }
    return out;
  }
}
