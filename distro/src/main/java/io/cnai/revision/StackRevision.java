package io.cnai.revision;

import java.time.Instant;
import java.util.List;

/**
 * What one install, upgrade or rollback did: the record cnai keeps in the cluster so that history,
 * status, rollback and conformance need nothing but the cluster.
 *
 * <p>Stored as a Secret in namespace {@link #NAMESPACE} named {@code cnai.stack.v<revision>}, of
 * type {@link #SECRET_TYPE}, labelled {@code owner=cnai}, {@code revision=<n>} and
 * {@code status=<status>}, with the JSON of this record (see {@link RevisionCodec}) under the key
 * {@link #DATA_KEY}. Like Helm's release Secrets, they are append-only: a new action writes a new
 * revision and marks the previous deployed one superseded.
 */
public record StackRevision(
    int revision,
    Action action,
    Status status,
    String distributionName,
    String distributionVersion,
    String profile,
    String planDigest,
    String valuesDigest,
    Instant startedAt,
    Instant finishedAt,
    List<String> allowUnverified,
    String message,
    List<ComponentRevision> components) {

  public static final String NAMESPACE = "cnai-system";
  public static final String SECRET_TYPE = "cnai.io/stack-revision";
  public static final String DATA_KEY = "revision.json";
  public static final String OWNER_LABEL = "owner";
  public static final String OWNER = "cnai";
  public static final String REVISION_LABEL = "revision";
  public static final String STATUS_LABEL = "status";

  public StackRevision {
    allowUnverified = List.copyOf(allowUnverified);
    components = List.copyOf(components);
  }

  /** A copy to change by name: {@code r.toBuilder().status(FAILED).message(m).build()}. */
  public Builder toBuilder() {
    return new Builder().revision(revision).action(action).status(status).distributionName(distributionName)
        .distributionVersion(distributionVersion).profile(profile).planDigest(planDigest).valuesDigest(valuesDigest)
        .startedAt(startedAt).finishedAt(finishedAt).allowUnverified(allowUnverified).message(message).components(components);
  }

  /** A new revision, field by field; unset text fields are empty, lists empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link StackRevision} by field name: the one place a revision is made. */
  public static final class Builder {
    private int revision;
    private Action action;
    private Status status;
    private String distributionName = "";
    private String distributionVersion = "";
    private String profile = "";
    private String planDigest = "";
    private String valuesDigest = "";
    private Instant startedAt;
    private Instant finishedAt;
    private List<String> allowUnverified = List.of();
    private String message = "";
    private List<ComponentRevision> components = List.of();

    private Builder() {}

    public Builder revision(int v) { revision = v; return this; }
    public Builder action(Action v) { action = v; return this; }
    public Builder status(Status v) { status = v; return this; }
    public Builder distributionName(String v) { distributionName = v; return this; }
    public Builder distributionVersion(String v) { distributionVersion = v; return this; }
    public Builder profile(String v) { profile = v; return this; }
    public Builder planDigest(String v) { planDigest = v; return this; }
    public Builder valuesDigest(String v) { valuesDigest = v; return this; }
    public Builder startedAt(Instant v) { startedAt = v; return this; }
    public Builder finishedAt(Instant v) { finishedAt = v; return this; }
    public Builder allowUnverified(List<String> v) { allowUnverified = v; return this; }
    public Builder message(String v) { message = v; return this; }
    public Builder components(List<ComponentRevision> v) { components = v; return this; }

    /** What this revision is of (distribution, profile, digests, allowed unverified parts), copied from another. */
    public Builder of(StackRevision r) {
      return distributionName(r.distributionName()).distributionVersion(r.distributionVersion()).profile(r.profile())
          .planDigest(r.planDigest()).valuesDigest(r.valuesDigest()).allowUnverified(r.allowUnverified());
    }

    public StackRevision build() {
      return new StackRevision(revision, action, status, distributionName, distributionVersion, profile, planDigest, valuesDigest,
          startedAt, finishedAt, allowUnverified, message, components);
    }
  }

  public static String secretName(int revision) {
    return "cnai.stack.v" + revision;
  }

  public enum Action {
    INSTALL,
    UPGRADE,
    ROLLBACK,
    UNINSTALL
  }

  /** As Helm's release statuses, for the whole stack. */
  public enum Status {
    PENDING,
    DEPLOYED,
    FAILED,
    SUPERSEDED,
    ROLLED_BACK,
    UNINSTALLED
  }

  /** One component in a revision: what was installed and how its Helm release stands. */
  public record ComponentRevision(
      String name,
      String namespace,
      String sourceType,
      String chart,
      String version,
      String digest,
      String valuesDigest,
      String helmRelease,
      int helmRevision,
      String status) {}
}
