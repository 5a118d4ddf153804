package dev.imajin.runtime;

import io.vertx.core.Future;
import java.util.List;

/**
 * An operation's answer that goes on arriving: a handler returns one (as its future's result) for
 * an operation whose contract answers {@code text/event-stream}. Over HTTP the edge writes it as
 * Server-Sent Events unless the request accepts only {@code application/json}: each {@link Event}
 * as {@code id:}, {@code event:} and {@code data:} lines, as it comes, until a batch marked {@link
 * Batch#end()} or until the client goes. Over the event bus, and to HTTP callers that ask for JSON,
 * the answer is {@link #page()} instead.
 *
 * <p>The edge calls {@link #next()} again only once the previous batch is written, so a slow client
 * slows the stream rather than filling memory; it calls {@link #close()} exactly once, when the
 * stream ended or the client went away, on the event loop that served the request.
 */
public interface EventStream {

  /**
   * One event.
   *
   * @param id sent as {@code id:}; a client that reconnects sends the last one back as {@code
   *     Last-Event-ID}
   * @param type sent as {@code event:}
   * @param data sent as {@code data:}: a record of the contract or a {@code JsonObject}, as one
   *     line of JSON
   */
  record Event(String id, String type, Object data) {}

  /**
   * Events in order; {@code end} says no more will come. An empty batch that does not end lets the
   * edge send a keep-alive comment.
   */
  record Batch(List<Event> events, boolean end) {
    public Batch {
      events = List.copyOf(events);
    }
  }

  /** The events after those already returned: waits for some, or for a while (an empty batch). */
  Future<Batch> next();

  /**
   * The answer for callers that do not take a stream: the events so far, as the contract's body.
   */
  Future<?> page();

  /** Frees what the stream holds (subscriptions, timers). */
  void close();
}
