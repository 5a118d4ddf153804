package dev.imajin.gpuboss.pool;

import java.util.concurrent.atomic.AtomicBoolean;

/** A lease as the lease client would hand it to the pool, whose validity a test switches off. */
final class TestLease implements Fenced {
  private final String leaseId;
  private final String device;
  private final long fencingToken;
  private final String resource;
  private final AtomicBoolean valid = new AtomicBoolean(true);

  TestLease(String device, long fencingToken, String resource) {
    this.leaseId = "lse_test" + fencingToken;
    this.device = device;
    this.fencingToken = fencingToken;
    this.resource = resource;
  }

  TestLease invalidate() {
    valid.set(false);
    return this;
  }

  @Override
  public String leaseId() {
    return leaseId;
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public long fencingToken() {
    return fencingToken;
  }

  @Override
  public String resource() {
    return resource;
  }

  @Override
  public boolean valid() {
    return valid.get();
  }
}
