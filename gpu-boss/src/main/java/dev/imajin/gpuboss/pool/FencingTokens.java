package dev.imajin.gpuboss.pool;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The newest fencing token one device's pool has seen per resource. Thread-safe: a token is
 * recorded with an atomic max, so of two racing leases the older is the one refused.
 *
 * <p>The map is kept small by forgetting a resource once no lease for it has come for {@link
 * #RETENTION}. That is safe because a lease's holder stops using it within its TTL (at most 10
 * minutes in the contract) after its last renewal, so by then any lease still carrying an older
 * token answers {@link Fenced#valid()} false and is refused for that reason. Forgotten entries are
 * swept at most once per {@link #SWEEP_EVERY}, by whichever caller comes first.
 */
final class FencingTokens {
  static final Duration RETENTION = Duration.ofHours(1);
  static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  private record Newest(long token, long seenAtNanos) {}

  private final ConcurrentHashMap<String, Newest> newest = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private final AtomicLong lastSweep;

  FencingTokens(LongSupplier nanoClock) {
    this.clock = nanoClock;
    this.lastSweep = new AtomicLong(nanoClock.getAsLong());
  }

  /**
   * Records the token as the resource's newest, unless a newer one has been seen.
   *
   * @return the resource's newest token now: {@code token} when it was admitted, a newer one when
   *     it is fenced out
   */
  long admit(String resource, long token) {
    long now = clock.getAsLong();
    sweepIfDue(now);
    return newest
        .merge(
            resource,
            new Newest(token, now),
            (old, mine) -> mine.token() >= old.token() ? mine : new Newest(old.token(), now))
        .token();
  }

  /** The resource's newest token, or {@link Long#MIN_VALUE} when none is remembered. */
  long newest(String resource) {
    Newest seen = newest.get(resource);
    return seen == null ? Long.MIN_VALUE : seen.token();
  }

  int size() {
    return newest.size();
  }

  private void sweepIfDue(long now) {
    long last = lastSweep.get();
    if (now - last >= SWEEP_EVERY.toNanos() && lastSweep.compareAndSet(last, now)) {
      long oldest = now - RETENTION.toNanos();
      newest.values().removeIf(seen -> seen.seenAtNanos() - oldest < 0);
    }
  }
}
