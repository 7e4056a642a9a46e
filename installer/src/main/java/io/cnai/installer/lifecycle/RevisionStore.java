package io.cnai.installer.lifecycle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cnai.core.CnaiException;
import io.cnai.installer.kube.Records;
import java.time.Instant;
import io.cnai.installer.kube.Applier;
import io.cnai.revision.RevisionCodec;
import io.cnai.revision.StackRevision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Stack revisions as Secrets in {@value StackRevision#NAMESPACE}, by the convention of {@link
 * StackRevision}; each also holds, under {@value #SPECS_KEY}, the {@link ComponentSpec}s that were
 * applied (what rollback re-applies).
 */
public final class RevisionStore {
  public static final String SPECS_KEY = "components.json";
  private static final ObjectMapper JSON = io.cnai.installer.json.Mappers.JSON;

  private final Records records;

  public RevisionStore(Records records) {
    this.records = records;
  }

  /** A stored revision with its specs. */
  public record Stored(StackRevision revision, List<ComponentSpec> specs) {}

  /** Every revision, oldest first. */
  public List<Stored> list() {
    List<Stored> out = new ArrayList<>();
    for (Records.Record r : records.list(Map.of(StackRevision.OWNER_LABEL, StackRevision.OWNER))) {
      if (StackRevision.SECRET_TYPE.equals(r.type())) {
        out.add(read(r));
      }
    }
    out.sort(Comparator.comparingInt(s -> s.revision().revision()));
    return out;
  }

  private static Stored read(Records.Record rec) {
    String where = StackRevision.NAMESPACE + "/" + rec.name();
    StackRevision r = RevisionCodec.fromJson(rec.data().getOrDefault(StackRevision.DATA_KEY, ""), where);
    List<ComponentSpec> specs = List.of();
    if (rec.data().containsKey(SPECS_KEY)) {
      try {
        specs = JSON.readValue(rec.data().get(SPECS_KEY), new TypeReference<List<ComponentSpec>>() {});
      } catch (Exception e) {
        throw CnaiException.failure("stack revision " + where + " has unreadable component specs: " + e.getMessage(),
            "it was written by another cnai version or edited by hand");
      }
    }
    return new Stored(r, specs);
  }

  /** The newest revision with status DEPLOYED, or null. */
  public Stored lastDeployed() {
    Stored last = null;
    for (Stored s : list()) {
      if (s.revision().status() == StackRevision.Status.DEPLOYED) {
        last = s;
      }
    }
    return last;
  }

  public int nextNumber() {
    return list().stream().mapToInt(s -> s.revision().revision()).max().orElse(0) + 1;
  }

  /** Writes a new revision (fails if the number is taken: another cnai is at work). */
  public void create(StackRevision r, List<ComponentSpec> specs) {
    if (!records.create(record(r, specs))) {
      throw CnaiException.failure("stack revision " + r.revision() + " was written by someone else meanwhile",
          "another cnai command is working on this cluster; wait for it, then run 'cnai history' and try again");
    }
  }

  /** Replaces a revision (its status or final component states). */
  public void update(StackRevision r, List<ComponentSpec> specs) {
    records.put(record(r, specs));
  }

  public void delete(int revision) {
    records.delete(StackRevision.secretName(revision));
  }

  /**
   * Revisions left PENDING by an interrupted command become FAILED; only the newest DEPLOYED stays
   * so. Returns the numbers of the revisions marked failed.
   */
  public List<Integer> repair(Instant now) {
    List<Stored> all = list();
    int newestDeployed = all.stream().filter(s -> s.revision().status() == StackRevision.Status.DEPLOYED)
        .mapToInt(s -> s.revision().revision()).max().orElse(-1);
    List<Integer> failed = new ArrayList<>();
    for (Stored s : all) {
      StackRevision r = s.revision();
      if (r.status() == StackRevision.Status.PENDING) {
        failed.add(r.revision());
        update(r.toBuilder().status(StackRevision.Status.FAILED).finishedAt(now)
            .message("interrupted: left pending, marked failed by the next command").build(), s.specs());
      } else if (r.status() == StackRevision.Status.DEPLOYED && r.revision() != newestDeployed) {
        update(r.toBuilder().status(StackRevision.Status.SUPERSEDED).finishedAt(now).build(), s.specs());
      }
    }
    return failed;
  }

  private static Records.Record record(StackRevision r, List<ComponentSpec> specs) {
    String specJson;
    try {
      specJson = JSON.writeValueAsString(specs);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Records.Record(StackRevision.secretName(r.revision()),
        Map.of(StackRevision.OWNER_LABEL, StackRevision.OWNER, StackRevision.REVISION_LABEL, Integer.toString(r.revision()),
            StackRevision.STATUS_LABEL, r.status().name().toLowerCase(java.util.Locale.ROOT), Applier.MANAGED_BY_LABEL, "cnai"),
        StackRevision.SECRET_TYPE, Map.of(StackRevision.DATA_KEY, RevisionCodec.toJson(r), SPECS_KEY, specJson));
  }
}
