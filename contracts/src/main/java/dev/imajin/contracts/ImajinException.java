package dev.imajin.contracts;

import dev.imajin.contracts.common.FieldError;
import dev.imajin.contracts.common.Problem;
import java.util.List;

/**
 * The one exception of imajin's services. It carries what the problem answer needs; the HTTP edge
 * and the event-bus binding turn it into {@code application/problem+json} or a failed reply in one
 * place each. Use the factories, which word the detail consistently.
 */
public class ImajinException extends RuntimeException {
  private final ErrorType type;
  private final String service;
  private final List<FieldError> errors;
  private final Integer retryAfterSeconds;

  public ImajinException(ErrorType type, String detail) {
    this(type, detail, null, List.of(), null, null);
  }

  public ImajinException(
      ErrorType type,
      String detail,
      String service,
      List<FieldError> errors,
      Integer retryAfterSeconds,
      Throwable cause) {
    super(detail, cause, false, cause != null);
    this.type = type;
    this.service = service;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ImajinException validation(String detail, List<FieldError> errors) {
    return new ImajinException(ErrorType.VALIDATION, detail, null, errors, null, null);
  }

  public static ImajinException badRequest(String detail) {
    return new ImajinException(ErrorType.BAD_REQUEST, detail);
  }

  public static ImajinException notFound(String what, String id) {
    return new ImajinException(ErrorType.NOT_FOUND, what + " '" + id + "' does not exist");
  }

  public static ImajinException conflict(String detail) {
    return new ImajinException(ErrorType.CONFLICT, detail);
  }

  public static ImajinException unprocessable(String detail) {
    return new ImajinException(ErrorType.UNPROCESSABLE, detail);
  }

  public static ImajinException payloadTooLarge(String detail) {
    return new ImajinException(ErrorType.PAYLOAD_TOO_LARGE, detail);
  }

  public static ImajinException notImplemented(String service, String operationId) {
    return new ImajinException(
        ErrorType.NOT_IMPLEMENTED,
        "Operation '" + operationId + "' of service '" + service + "' is not built yet",
        service,
        List.of(),
        null,
        null);
  }

  public static ImajinException unavailable(String service, String why, Integer retryAfterSeconds) {
    return new ImajinException(
        ErrorType.UNAVAILABLE,
        "Service '" + service + "' is unavailable: " + why,
        service,
        List.of(),
        retryAfterSeconds,
        null);
  }

  public static ImajinException downstreamFailed(String service, String why, Throwable cause) {
    return new ImajinException(
        ErrorType.DOWNSTREAM_FAILED,
        "Service '" + service + "' failed: " + why,
        service,
        List.of(),
        null,
        cause);
  }

  public static ImajinException downstreamTimeout(String service, long timeoutMs) {
    return new ImajinException(
        ErrorType.DOWNSTREAM_TIMEOUT,
        "Service '" + service + "' did not answer within " + timeoutMs + " ms",
        service,
        List.of(),
        null,
        null);
  }

  /**
   * A refusal of memory or of a lease (the GPU Boss's 409), as a model service's caller sees it:
   * the service cannot serve now, 503 with the refusal's reason and retry hint (1 s when it gave
   * none), named for {@code service} when the refusal names no service. Any other failure is
   * returned as it is.
   */
  public static Throwable unavailableIfConflict(Throwable e, String service) {
    if (e instanceof ImajinException ie && ie.type == ErrorType.CONFLICT) {
      return new ImajinException(
          ErrorType.UNAVAILABLE,
          ie.getMessage(),
          ie.service == null ? service : ie.service,
          ie.errors,
          ie.retryAfterSeconds != null ? ie.retryAfterSeconds : 1,
          ie);
    }
    return e;
  }

  public static ImajinException internal(String detail, Throwable cause) {
    return new ImajinException(ErrorType.INTERNAL, detail, null, List.of(), null, cause);
  }

  /** The exception a problem answer stands for; used by clients of other services. */
  public static ImajinException fromProblem(Problem p) {
    return new ImajinException(
        ErrorType.fromProblem(p.type(), p.status()),
        p.detail() == null ? p.title() : p.detail(),
        p.service(),
        p.errors(),
        p.retryAfterSeconds(),
        null);
  }

  public ErrorType type() {
    return type;
  }

  public int status() {
    return type.status();
  }

  /** The service the failure names, when it is not the one answering. */
  public String service() {
    return service;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The problem answer, as served by {@code answeringService} for the given request. */
  public Problem toProblem(String answeringService, String instance, String requestId) {
    return new Problem(
        type.uri(),
        type.title(),
        type.status(),
        getMessage(),
        instance,
        service == null ? answeringService : service,
        requestId,
        errors.isEmpty() ? null : errors,
        retryAfterSeconds);
  }
}
