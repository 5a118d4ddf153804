package dev.imajin.contracts.common;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** An RFC 9457 problem, the body of every error answer. */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String service,
    String requestId,
    List<FieldError> errors,
    Integer retryAfterSeconds)
    implements BusMessage {

  public Problem {
    errors = errors == null ? null : List.copyOf(errors);
  }
}
