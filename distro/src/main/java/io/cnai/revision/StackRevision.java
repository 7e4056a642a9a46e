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
