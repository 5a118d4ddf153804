package dev.imajin.contracts;

/**
 * The kinds of error imajin answers with. Each has a stable problem {@code type} URI and an HTTP
 * status; the same kind always has the same title.
 */
public enum ErrorType {
  VALIDATION(400, "validation", "Request does not match the contract"),
  BAD_REQUEST(400, "bad-request", "Bad request"),
  UNAUTHORIZED(401, "unauthorized", "Authentication required"),
  FORBIDDEN(403, "forbidden", "Not allowed"),
  NOT_FOUND(404, "not-found", "Resource not found"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  NOT_ACCEPTABLE(406, "not-acceptable", "No acceptable representation"),
  CONFLICT(409, "conflict", "Conflict with the current state"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  UNPROCESSABLE(422, "unprocessable", "Request cannot be processed"),
  RATE_LIMITED(429, "rate-limited", "Too many requests"),
  INTERNAL(500, "internal", "Internal error"),
  NOT_IMPLEMENTED(501, "not-implemented", "Operation not implemented"),
  DOWNSTREAM_FAILED(502, "downstream-failed", "A downstream service failed"),
  UNAVAILABLE(503, "unavailable", "Service unavailable"),
  DOWNSTREAM_TIMEOUT(504, "downstream-timeout", "A downstream service timed out");

  private static final String TYPE_PREFIX = "urn:imajin:problem:";

  private final int status;
  private final String slug;
  private final String title;

  ErrorType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The problem {@code type}, for example {@code urn:imajin:problem:validation}. */
  public String uri() {
    return TYPE_PREFIX + slug;
  }

  /** The kind with the given problem type, or the generic kind of the status when it is unknown. */
  public static ErrorType fromProblem(String typeUri, int status) {
    for (ErrorType t : values()) {
      if (t.uri().equals(typeUri)) {
        return t;
      }
    }
    return forStatus(status);
  }

  /** The generic kind of an HTTP status. */
  public static ErrorType forStatus(int status) {
    for (ErrorType t : values()) {
      if (t.status == status && t != VALIDATION) {
        return t;
      }
    }
    return status >= 500 ? INTERNAL : BAD_REQUEST;
  }
}
