package dev.imajin.gpuboss.impl;

import dev.imajin.contracts.gpuboss.Lease;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** A lease request waiting in a device's queue, in the order priority, then {@link #seq}. */
final class Waiting {
  final long seq;
  final String ticket = "wait_" + LeaseIds.random(16);
  final LeaseRequest request;
  final String idempotencyKey;
  final String leaseId;
  final long bytes;
  final int priority;
  final int ttlMs;
  final boolean resident;
  final long maxWaitMs;
  final long enqueuedNanos = System.nanoTime();
  final Instant enqueuedAt = Instant.now();
  final Promise<Lease> promise = Promise.promise();
  final Set<String> asked = new HashSet<>();
  long timer = -1;
  boolean seen;
  boolean done;

  Waiting(long seq, Line line, LeaseRequest request, String idempotencyKey) {
    this.seq = seq;
    this.request = request;
    this.idempotencyKey = idempotencyKey;
    this.leaseId = LeaseIds.create(line.spec.id());
    this.bytes = request.bytes();
    this.priority = request.priority() == null ? LeaseRequest.DEFAULT_PRIORITY : request.priority();
    this.ttlMs = request.ttlMs() == null ? LeaseRequest.DEFAULT_TTL_MS : request.ttlMs();
    this.resident = Boolean.TRUE.equals(request.resident());
    this.maxWaitMs =
        request.maxWaitMs() == null ? LeaseRequest.DEFAULT_MAX_WAIT_MS : request.maxWaitMs();
  }
}
