package dev.imajin.gpuboss.store;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lease store: each device's leases in Redis, changed only by the Lua scripts beside this
 * class, which read the server's clock ({@code TIME}) and reclaim expired leases before anything
 * else. Every key of a device shares one hash tag ({@code imajin:gpu:{namespace/device}:...}), so a
 * script touches one slot and runs atomically.
 *
 * <p>Scripts are sent by SHA; a Redis that does not know one (it restarted, or {@code SCRIPT
 * FLUSH}) answers NOSCRIPT, and the store loads the script and sends it again, which is safe
 * because a NOSCRIPT call ran nothing. A call that fails or times out otherwise fails its future
 * with a 503 naming Redis: the script ran entirely or not at all, and the caller cannot tell which,
 * so callers that create a lease clean up by its id (see {@link #abort}).
 */
public final class LeaseStore {
  private static final String SERVICE = "gpu-boss";

  /**
   * The most bytes one lease may hold (1 TiB, as the contract says). It also keeps every count the
   * scripts write into lease JSON within the 14 significant digits cjson writes exactly.
   */
  public static final long MAX_BYTES = 1L << 40;

  private static final Script INIT = Script.load("init");
  private static final Script ACQUIRE = Script.load("acquire");
  private static final Script RENEW = Script.load("renew");
  private static final Script RELEASE = Script.load("release");
  private static final Script SNAPSHOT = Script.load("snapshot");

  private final Redis redis;
  private final String namespace;
  private final long timeoutMs;

  /**
   * @param namespace separates the devices of different brokers sharing one Redis (the node name)
   * @param timeoutMs how long one Redis call may take before it counts as failed
   */
  public LeaseStore(Redis redis, String namespace, long timeoutMs) {
    this.redis = redis;
    this.namespace = namespace;
    this.timeoutMs = timeoutMs;
  }

  /** Declares a device's capacity and reserve, keeping its leases, usage and fencing counter. */
  public Future<Void> init(String device, long capacityBytes, long reserveBytes) {
    return eval(INIT, device, Long.toString(capacityBytes), Long.toString(reserveBytes)).mapEmpty();
  }

  /**
   * Grants a lease if it fits now ({@code used + bytes <= capacity - reserve} after reclaiming
   * expired leases). A lease id or idempotency key that names a live lease returns that lease.
   */
  public Future<Grant> acquire(
      String device,
      String leaseId,
      long bytes,
      String holder,
      int ttlMs,
      boolean resident,
      String model,
      int priority,
      String idempotencyKey) {
    if (bytes < 1 || bytes > MAX_BYTES || ttlMs < 1) {
      return Future.failedFuture(
          ImajinException.badRequest(
              "a lease needs 1 to "
                  + MAX_BYTES
                  + " bytes and a positive TTL, was "
                  + bytes
                  + " bytes for "
                  + ttlMs
                  + " ms"));
    }
    return eval(
            ACQUIRE,
            device,
            leaseId,
            Long.toString(bytes),
            holder,
            Integer.toString(ttlMs),
            resident ? "1" : "0",
            model == null ? "" : model,
            Integer.toString(priority),
            idempotencyKey == null ? "" : idempotencyKey)
        .map(r -> grant(device, r));
  }

  /** Extends a live lease by its TTL (or a new one); {@code busy} null leaves the flag as it is. */
  public Future<Outcome> renew(
      String device, String leaseId, long token, Integer ttlMs, Boolean busy) {
    return eval(
            RENEW,
            device,
            leaseId,
            Long.toString(token),
            ttlMs == null ? "" : ttlMs.toString(),
            busy == null ? "" : busy ? "1" : "0")
        .map(r -> outcome(device, r));
  }

  /** Frees a live lease's bytes if {@code token} is its fencing token. */
  public Future<Outcome> release(String device, String leaseId, long token) {
    return eval(RELEASE, device, leaseId, Long.toString(token)).map(r -> outcome(device, r));
  }

  /**
   * Removes a lease whatever its token. Only for the broker, for a lease it created but never
   * handed out because the reply to its acquire was lost.
   */
  public Future<Outcome> abort(String device, String leaseId) {
    return eval(RELEASE, device, leaseId, "").map(r -> outcome(device, r));
  }

  /** Reclaims expired leases and reads the device's state; fails with 404 for an unknown device. */
  public Future<DeviceState> snapshot(String device) {
    return eval(SNAPSHOT, device).map(r -> state(device, r));
  }

  /** The Redis keys of a device, in the order the scripts take them. */
  public List<String> keys(String device) {
    String prefix = "imajin:gpu:{" + namespace + "/" + device + "}:";
    return List.of(prefix + "state", prefix + "leases", prefix + "expiry", prefix + "idem");
  }

  private Future<Response> eval(Script script, String device, String... args) {
    List<String> keys = keys(device);
    return send(script.evalSha(keys, args))
        .recover(
            failure -> {
              if (!noScript(failure)) {
                return Future.failedFuture(failure);
              }
              return send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.text()))
                  .compose(loaded -> send(script.evalSha(keys, args)));
            })
        .recover(failure -> Future.failedFuture(unreachable(failure)));
  }

  private Future<Response> send(Request request) {
    return redis.send(request).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static boolean noScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
  }

  private static Throwable unreachable(Throwable failure) {
    if (failure instanceof ImajinException) {
      return failure;
    }
    return new ImajinException(
        ErrorType.UNAVAILABLE,
        "the lease store (Redis) failed, so nothing was granted or changed by this call: "
            + failure.getMessage(),
        SERVICE,
        List.of(),
        1,
        failure);
  }

  private static Grant grant(String device, Response r) {
    return switch (r.get(0).toString()) {
      case "OK" ->
          new Grant(
              true,
              StoredLease.parse(device, r.get(1).toString()),
              r.get(3).toInteger() == 1,
              r.get(4).toLong(),
              -1,
              -1,
              r.get(2).toLong());
      case "FULL" ->
          new Grant(
              false,
              null,
              false,
              r.get(2).toLong(),
              r.get(3).toLong(),
              r.get(4).toLong(),
              r.get(1).toLong());
      default -> throw noDevice(device, r);
    };
  }

  private static Outcome outcome(String device, Response r) {
    return switch (r.get(0).toString()) {
      case "OK" ->
          new Outcome(
              Outcome.Status.OK,
              StoredLease.parse(device, r.get(1).toString()),
              r.size() > 3 ? r.get(3).toLong() : -1,
              r.get(2).toLong());
      case "GONE" -> new Outcome(Outcome.Status.GONE, null, -1, r.get(1).toLong());
      case "STALE" -> new Outcome(Outcome.Status.STALE, null, -1, r.get(1).toLong());
      default -> throw noDevice(device, r);
    };
  }

  private static DeviceState state(String device, Response r) {
    if (!"OK".equals(r.get(0).toString())) {
      throw noDevice(device, r);
    }
    List<String> reclaimed = new ArrayList<>();
    for (Response id : r.get(7)) {
      reclaimed.add(id.toString());
    }
    return new DeviceState(
        device,
        r.get(1).toLong(),
        r.get(2).toLong(),
        r.get(3).toLong(),
        r.get(4).toLong(),
        r.get(5).toLong(),
        leases(device, r.get(6)),
        reclaimed);
  }

  private static RuntimeException noDevice(String device, Response r) {
    if ("NODEVICE".equals(r.get(0).toString())) {
      return ImajinException.notFound("device", device);
    }
    return new IllegalStateException("unexpected lease script answer " + r);
  }

  private record Script(String name, String text, String sha) {
    static Script load(String name) {
      String text = resource("common") + "\n" + resource(name);
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        return new Script(name, text, HexFormat.of().formatHex(digest));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    Request evalSha(List<String> keys, String... args) {
      Request request = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
      keys.forEach(request::arg);
      for (String arg : args) {
        request.arg(arg);
      }
      return request;
    }

    private static String resource(String name) {
      String path = "/dev/imajin/gpuboss/lua/" + name + ".lua";
      try (InputStream in = LeaseStore.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("missing script " + path);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final Comparator<StoredLease> OLDEST_FIRST =
      Comparator.comparingLong(StoredLease::grantedAtMs)
          .thenComparingLong(StoredLease::fencingToken);

  static List<StoredLease> leases(String device, Response list) {
    List<StoredLease> leases = new ArrayList<>();
    for (Response raw : list) {
      leases.add(StoredLease.parse(device, raw.toString()));
    }
    leases.sort(OLDEST_FIRST);
    return leases;
  }
}
