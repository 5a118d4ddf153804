package dev.imajin.runtime.impl;

import dev.imajin.runtime.EventStream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@link EventStream} as {@code text/event-stream}: headers at once, then each batch as
 * it comes, a keep-alive comment for an empty batch, and the end of the response after the last
 * batch. The next batch is asked for only once the previous one is written out, so a slow client
 * holds back the stream instead of filling memory.
 */
final class ServerSentEvents {
  static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
  private static final Logger LOG = LoggerFactory.getLogger("imajin.http");

  private final HttpServerResponse response;
  private final EventStream stream;
  private boolean finished;

  private ServerSentEvents(HttpServerResponse response, EventStream stream) {
    this.response = response;
    this.stream = stream;
  }

  /**
   * Whether the request takes a stream: yes unless its {@code Accept} names {@code
   * application/json} and neither {@code text/event-stream} nor a wildcard.
   */
  static boolean wanted(HttpServerRequest request) {
    String accept = request.getHeader("Accept");
    if (accept == null || accept.isBlank()) {
      return true;
    }
    String ranges = accept.toLowerCase(Locale.ROOT);
    return ranges.contains("text/event-stream")
        || ranges.contains("*/*")
        || ranges.contains("text/*")
        || !ranges.contains("application/json");
  }

  /** The answer for callers that take no stream: a stream's page (closing it), else the result. */
  static Future<Object> settle(Object result) {
    if (result instanceof EventStream stream) {
      return stream.page().<Object>map(page -> page).onComplete(done -> stream.close());
    }
    return Future.succeededFuture(result);
  }

  /** Starts writing the stream to the response; it runs until the stream or the client ends. */
  static void write(HttpServerResponse response, EventStream stream) {
    new ServerSentEvents(response, stream).start();
  }

  private void start() {
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> finish());
    response.exceptionHandler(e -> finish());
    response.write(": stream\n\n").onComplete(written -> pump());
  }

  private void pump() {
    if (finished) {
      return;
    }
    stream
        .next()
        .onComplete(
            done -> {
              if (finished) {
                return;
              }
              if (done.failed()) {
                LOG.warn("event stream failed; ending it: {}", done.cause().toString());
                end();
                return;
              }
              EventStream.Batch batch = done.result();
              if (batch.events().isEmpty() && !batch.end()) {
                response.write(": keep-alive\n\n");
              }
              for (EventStream.Event event : batch.events()) {
                response.write(encode(event));
              }
              if (batch.end()) {
                end();
              } else if (response.writeQueueFull()) {
                response.drainHandler(v -> pump());
              } else {
                pump();
              }
            });
  }

  static Buffer encode(EventStream.Event event) {
    Buffer out = Buffer.buffer();
    if (event.id() != null) {
      out.appendString("id: ").appendString(oneLine(event.id())).appendString("\n");
    }
    if (event.type() != null) {
      out.appendString("event: ").appendString(oneLine(event.type())).appendString("\n");
    }
    return out.appendString("data: ")
        .appendBuffer(Responses.encode(event.data()))
        .appendString("\n\n");
  }

  private static String oneLine(String text) {
    return text.replace("\r", "").replace("\n", " ");
  }

  private void end() {
    if (!finished) {
      response.end();
      finish();
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      stream.close();
    }
  }
}
