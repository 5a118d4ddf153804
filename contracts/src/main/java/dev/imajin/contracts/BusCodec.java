package dev.imajin.contracts;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The event-bus codec of every {@link BusMessage}. Within a JVM the record itself is delivered (no
 * copy: records are immutable). Across the cluster the wire form is the record's class name
 * followed by its JSON, so any imajin node decodes it back to the same record. Peers that do not
 * have imajin's classes send and receive plain {@code JsonObject}s instead; services answer them in
 * kind.
 *
 * <p>Instances are stateless and thread-safe.
 */
public final class BusCodec implements MessageCodec<BusMessage, BusMessage> {
  public static final String NAME = "imajin-json";

  /** Registers the codec and selects it for every {@link BusMessage}; idempotent per Vert.x. */
  public static void install(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    synchronized (BusCodec.class) {
      if (vertx.sharedData().getLocalMap("imajin.bus").putIfAbsent("codec", true) != null) {
        return;
      }
      bus.registerCodec(new BusCodec());
      bus.codecSelector(body -> body instanceof BusMessage ? NAME : null);
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, BusMessage message) {
    byte[] type = message.getClass().getName().getBytes(StandardCharsets.UTF_8);
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.appendInt(type.length).appendBytes(type).appendInt(json.length).appendBytes(json);
  }

  @Override
  public BusMessage decodeFromWire(int pos, Buffer buffer) {
    int typeLength = buffer.getInt(pos);
    String typeName = buffer.getString(pos + 4, pos + 4 + typeLength, "UTF-8");
    int jsonStart = pos + 4 + typeLength;
    int jsonLength = buffer.getInt(jsonStart);
    byte[] json = buffer.getBytes(jsonStart + 4, jsonStart + 4 + jsonLength);
    try {
      Class<?> type = Class.forName(typeName, false, BusCodec.class.getClassLoader());
      if (!BusMessage.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(typeName + " is not a bus message");
      }
      return (BusMessage) Json.mapper().readValue(json, type);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("unknown bus message type " + typeName, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public BusMessage transform(BusMessage message) {
    return message;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
