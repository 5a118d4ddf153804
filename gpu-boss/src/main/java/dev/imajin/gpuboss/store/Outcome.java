package dev.imajin.gpuboss.store;

/**
 * What a renew or release script answered.
 *
 * @param lease the lease after the call (renewed, or as it was when released); null unless {@link
 *     Status#OK}
 * @param usedBytes the device's usage after a release; -1 otherwise
 * @param nowMs the Redis server's clock when the script ran
 */
public record Outcome(Status status, StoredLease lease, long usedBytes, long nowMs) {

  public enum Status {
    /** Done. */
    OK,
    /** No live lease has that id: it expired, was released or never existed. */
    GONE,
    /** The lease lives but the fencing token is not its own. */
    STALE
  }

  public boolean ok() {
    return status == Status.OK;
  }
}
