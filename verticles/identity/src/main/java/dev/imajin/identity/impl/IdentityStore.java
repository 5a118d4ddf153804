package dev.imajin.identity.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.identity.Consent;
import dev.imajin.contracts.identity.EnrolledFace;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Identities in Redis, under one hash tag ({@code imajin:identity:{gallery}:...}) so that every
 * change is one script on one node:
 *
 * <ul>
 *   <li>{@code rec:<id>}: a hash with the identity's fixed part as JSON ({@code json}: name,
 *       external ref, consent, created at), its embedding model, external ref, update time and
 *       sequence number;
 *   <li>{@code faces:<id>}: a hash of face id to the enrolled face as JSON with its embedding
 *       (float32, little-endian, base64);
 *   <li>{@code index}: a sorted set of ids by sequence number (enrolment order);
 *   <li>{@code refs}: a hash of external ref to id, which makes refs unique;
 *   <li>{@code seq} and {@code version}: counters; {@code version} grows with every change, so a
 *       node knows when its copy of the gallery is stale.
 * </ul>
 *
 * Deleting an identity deletes its two keys: its embeddings are gone from Redis at once (and from
 * its AOF/RDB files when they are next rewritten).
 */
final class IdentityStore {
  static final String PREFIX = "imajin:identity:{gallery}:";
  static final String INDEX = PREFIX + "index";
  static final String REFS = PREFIX + "refs";
  static final String SEQ = PREFIX + "seq";
  static final String VERSION = PREFIX + "version";

  private static final String ENROL =
      """
      if ARGV[2] ~= '' then
        local held = redis.call('HGET', KEYS[1], ARGV[2])
        if held then return {0, held} end
        redis.call('HSET', KEYS[1], ARGV[2], ARGV[1])
      end
      local seq = redis.call('INCR', KEYS[5])
      redis.call('HSET', KEYS[3], 'json', ARGV[3], 'model', ARGV[4], 'ref', ARGV[2],
        'updated_at', ARGV[5], 'seq', seq)
      for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1]) end
      redis.call('ZADD', KEYS[2], seq, ARGV[1])
      redis.call('INCR', KEYS[6])
      return {1, tostring(seq)}
      """;

  private static final String ADD =
      """
      if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
      if redis.call('HGET', KEYS[1], 'model') ~= ARGV[1] then return -2 end
      redis.call('HSET', KEYS[1], 'updated_at', ARGV[2])
      for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
      redis.call('INCR', KEYS[3])
      return redis.call('HLEN', KEYS[2])
      """;

  private static final String DELETE =
      """
      if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
      local ref = redis.call('HGET', KEYS[1], 'ref')
      if ref and ref ~= '' and redis.call('HGET', KEYS[4], ref) == ARGV[1] then
        redis.call('HDEL', KEYS[4], ref)
      end
      local n = redis.call('HLEN', KEYS[2])
      redis.call('DEL', KEYS[1], KEYS[2])
      redis.call('ZREM', KEYS[3], ARGV[1])
      redis.call('INCR', KEYS[5])
      return n
      """;

  /**
   * Every identity, in enrolment order, with the version it was read at: {@code version, n, then
   * per identity: id, rec fields (flat), faces (flat)}.
   */
  private static final String SNAPSHOT =
      """
      local out = {redis.call('GET', KEYS[2]) or '0'}
      local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
      for _, id in ipairs(ids) do
        table.insert(out, id)
        table.insert(out, redis.call('HGETALL', ARGV[1] .. 'rec:' .. id))
        table.insert(out, redis.call('HGETALL', ARGV[1] .. 'faces:' .. id))
      end
      return out
      """;

  /** An enrolled face with its embedding. */
  record StoredFace(EnrolledFace face, float[] embedding, int ordinal) {}

  /** An identity as stored: the fixed part, the model, faces in order, times. */
  record Stored(
      String id,
      long seq,
      String name,
      String externalRef,
      Consent consent,
      String model,
      List<StoredFace> faces,
      Instant createdAt,
      Instant updatedAt) {}

  /** Every identity at one version. */
  record Snapshot(long version, List<Stored> identities) {}

  private final Redis redis;

  IdentityStore(Redis redis) {
    this.redis = redis;
  }

  static String recKey(String id) {
    return PREFIX + "rec:" + id;
  }

  static String facesKey(String id) {
    return PREFIX + "faces:" + id;
  }

  /** The version now (0 before the first change). */
  Future<Long> version() {
    return redis.send(Request.cmd(Command.GET).arg(VERSION)).map(r -> r == null ? 0L : r.toLong());
  }

  /** Reads every identity in one script, so the copy is consistent. */
  Future<Snapshot> snapshot() {
    return redis
        .send(Request.cmd(Command.EVAL).arg(SNAPSHOT).arg(2).arg(INDEX).arg(VERSION).arg(PREFIX))
        .map(IdentityStore::parse);
  }

  private static Snapshot parse(Response r) {
    long version = Long.parseLong(r.get(0).toString());
    List<Stored> all = new ArrayList<>();
    for (int i = 1; i + 2 < r.size(); i += 3) {
      String id = r.get(i).toString();
      JsonObject rec = fields(r.get(i + 1));
      if (rec.isEmpty()) {
        continue;
      }
      JsonObject fixed = new JsonObject(rec.getString("json"));
      List<StoredFace> faces = new ArrayList<>();
      Response f = r.get(i + 2);
      for (int k = 0; k + 1 < f.size(); k += 2) {
        faces.add(face(new JsonObject(f.get(k + 1).toString())));
      }
      faces.sort(
          Comparator.comparing((StoredFace s) -> s.face().addedAt())
              .thenComparingInt(StoredFace::ordinal)
              .thenComparing(s -> s.face().faceId()));
      all.add(
          new Stored(
              id,
              Long.parseLong(rec.getString("seq")),
              fixed.getString("name"),
              fixed.getString("external_ref"),
              Json.fromJson(fixed.getJsonObject("consent"), Consent.class),
              rec.getString("model"),
              List.copyOf(faces),
              Instant.parse(fixed.getString("created_at")),
              Instant.parse(rec.getString("updated_at"))));
    }
    return new Snapshot(version, List.copyOf(all));
  }

  private static JsonObject fields(Response hash) {
    JsonObject out = new JsonObject();
    for (int k = 0; k + 1 < hash.size(); k += 2) {
      out.put(hash.get(k).toString(), hash.get(k + 1).toString());
    }
    return out;
  }

  /**
   * Writes a new identity and its faces in one step.
   *
   * @return null when written, else the id that already holds the external ref
   */
  Future<String> enrol(Stored identity) {
    JsonObject fixed =
        new JsonObject()
            .put("name", identity.name())
            .put("external_ref", identity.externalRef())
            .put("consent", Json.toJson(identity.consent()))
            .put("created_at", identity.createdAt().toString());
    String id = identity.id();
    Request request =
        Request.cmd(Command.EVAL)
            .arg(ENROL)
            .arg(6)
            .arg(REFS)
            .arg(INDEX)
            .arg(recKey(id))
            .arg(facesKey(id))
            .arg(SEQ)
            .arg(VERSION)
            .arg(id)
            .arg(identity.externalRef() == null ? "" : identity.externalRef())
            .arg(fixed.encode())
            .arg(identity.model())
            .arg(identity.updatedAt().toString());
    faceArgs(request, identity.faces());
    return redis.send(request).map(r -> r.get(0).toInteger() == 1 ? null : r.get(1).toString());
  }

  /**
   * Adds faces to an identity.
   *
   * @return the identity's face count now
   * @throws ImajinException 404 when the identity does not exist; 409 when it was embedded with
   *     another model
   */
  Future<Integer> addFaces(String id, String model, Instant at, List<StoredFace> faces) {
    Request request =
        Request.cmd(Command.EVAL)
            .arg(ADD)
            .arg(3)
            .arg(recKey(id))
            .arg(facesKey(id))
            .arg(VERSION)
            .arg(model)
            .arg(at.toString());
    faceArgs(request, faces);
    return redis
        .send(request)
        .map(
            r -> {
              int n = r.toInteger();
              if (n == -1) {
                throw ImajinException.notFound("identity", id);
              }
              if (n == -2) {
                throw ImajinException.conflict(
                    "identity "
                        + id
                        + " was embedded with another face embedder than '"
                        + model
                        + "'; enrol it again");
              }
              return n;
            });
  }

  /**
   * Deletes an identity and its embeddings.
   *
   * @return how many faces were erased
   * @throws ImajinException 404 when the identity does not exist
   */
  Future<Integer> delete(String id) {
    return redis
        .send(
            Request.cmd(Command.EVAL)
                .arg(DELETE)
                .arg(5)
                .arg(recKey(id))
                .arg(facesKey(id))
                .arg(INDEX)
                .arg(REFS)
                .arg(VERSION)
                .arg(id))
        .map(
            r -> {
              int n = r.toInteger();
              if (n < 0) {
                throw ImajinException.notFound("identity", id);
              }
              return n;
            });
  }

  private static void faceArgs(Request request, List<StoredFace> faces) {
    for (StoredFace f : faces) {
      JsonObject json = Json.toJson(f.face());
      json.put("ordinal", f.ordinal()).put("embedding", encode(f.embedding()));
      request.arg(f.face().faceId()).arg(json.encode());
    }
  }

  private static StoredFace face(JsonObject json) {
    float[] embedding = decode(json.getString("embedding"));
    int ordinal = json.getInteger("ordinal", 0);
    json.remove("embedding");
    json.remove("ordinal");
    return new StoredFace(Json.fromJson(json, EnrolledFace.class), embedding, ordinal);
  }

  static String encode(float[] v) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      bytes.putFloat(x);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  static float[] decode(String b64) {
    ByteBuffer bytes =
        ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bytes.remaining() / 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = bytes.getFloat();
    }
    return v;
  }
}
