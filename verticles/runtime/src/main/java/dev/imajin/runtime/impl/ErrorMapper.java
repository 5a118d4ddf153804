package dev.imajin.runtime.impl;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.FieldError;
import dev.imajin.contracts.common.Problem;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one place where failures become {@link ImajinException}s, and so problems. */
public final class ErrorMapper {
  private static final Pattern PARAMETER =
      Pattern.compile("(path|query|header|cookie) parameter (\\S+)");

  private static final Pattern NAMED_PROPERTY =
      Pattern.compile(
          "(?:(Instance does not have required property)|Property) \"([^\"]+)\""
              + "(?: does not match additional properties schema)?");

  private ErrorMapper() {}

  /** The exception a failure stands for; unexpected failures become {@code internal}. */
  public static ImajinException toImajin(Throwable failure) {
    if (failure instanceof ImajinException e) {
      return e;
    }
    if (failure instanceof HttpException http) {
      if (http.getCause() instanceof ValidatorException v) {
        return validation(v);
      }
      return fromStatus(http.getStatusCode(), http.getPayload());
    }
    if (failure instanceof ValidatorException v) {
      return validation(v);
    }
    if (failure instanceof DecodeException d) {
      return ImajinException.badRequest("the body is not valid JSON: " + d.getMessage());
    }
    if (failure instanceof ReplyException reply) {
      return fromReply(reply, "a downstream service");
    }
    return ImajinException.internal("unexpected failure", failure);
  }

  /**
   * A failure while a request was read and validated against the contract. The validator throws
   * more than its own exceptions on some malformed values; all of them are the caller's error.
   */
  public static Throwable unreadableRequest(Throwable failure) {
    if (failure instanceof ImajinException
        || failure instanceof ValidatorException
        || failure instanceof HttpException) {
      return failure;
    }
    return ImajinException.badRequest(
        "the request's parameters or body cannot be read: " + failure.getMessage());
  }

  /** The failure of a call to another service over the event bus, naming that service. */
  public static ImajinException fromReply(ReplyException reply, String service) {
    return switch (reply.failureType()) {
      case TIMEOUT ->
          new ImajinException(
              ErrorType.DOWNSTREAM_TIMEOUT,
              "Service '" + service + "' did not answer in time: " + reply.getMessage(),
              service,
              List.of(),
              null,
              null);
      case NO_HANDLERS ->
          ImajinException.unavailable(service, "no node of the cluster serves it now", 5);
      default -> fromRecipient(reply, service);
    };
  }

  private static ImajinException fromRecipient(ReplyException reply, String service) {
    String message = reply.getMessage();
    if (message != null && message.startsWith("{")) {
      try {
        return ImajinException.fromProblem(Json.fromJson(new JsonObject(message), Problem.class));
      } catch (RuntimeException notAProblem) {
        // fall through: a peer that does not answer problems
      }
    }
    return ImajinException.downstreamFailed(service, message, null);
  }

  private static ImajinException fromStatus(int status, String payload) {
    ErrorType type = ErrorType.forStatus(status);
    String detail =
        switch (status) {
          case 404 -> "no operation at this path";
          case 405 -> "the path does not accept this method";
          case 413 ->
              "the request body is over the limit (http.max-body-bytes, or for a bulk import"
                  + " moderator.max-import-bytes)";
          case 415 -> "the content type is not accepted here";
          default -> payload == null || payload.isBlank() ? type.title() : payload;
        };
    return new ImajinException(type, detail);
  }

  static ImajinException validation(ValidatorException v) {
    List<FieldError> errors = new ArrayList<>();
    Matcher parameter = PARAMETER.matcher(v.getMessage());
    String where = parameter.find() ? parameter.group(1) + "/" + parameter.group(2) : null;
    if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      errors.addAll(fieldErrors(s.getOutputUnit(), where));
    }
    if (errors.isEmpty()) {
      errors.add(new FieldError(where == null ? "" : where, v.getMessage()));
    }
    FieldError first = errors.get(0);
    String subject =
        where != null ? where : first.pointer().isEmpty() ? "body" : "body " + first.pointer();
    return ImajinException.validation(subject + ": " + first.detail(), errors);
  }

  /** The most specific errors of a validation result, one per location. */
  static List<FieldError> fieldErrors(OutputUnit result, String parameter) {
    Map<String, String> byLocation = new LinkedHashMap<>();
    List<OutputUnit> units = result.getErrors() == null ? List.of(result) : result.getErrors();
    for (OutputUnit unit : units) {
      String error = unit.getError();
      if (error == null || isSummary(error)) {
        continue;
      }
      String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
      String pointer =
          parameter != null
              ? parameter
              : location.startsWith("#") ? location.substring(1) : location;
      Matcher named = NAMED_PROPERTY.matcher(error);
      if (parameter == null && named.matches()) {
        if (!pointer.endsWith("/" + named.group(2))) {
          pointer = pointer + "/" + named.group(2);
        }
        error =
            named.group(1) != null
                ? "required field is missing"
                : "unknown field: the contract does not define it";
      }
      byLocation.putIfAbsent(pointer, error);
    }
    List<FieldError> errors = new ArrayList<>();
    byLocation.forEach((pointer, detail) -> errors.add(new FieldError(pointer, detail)));
    return errors;
  }

  private static boolean isSummary(String error) {
    return error.startsWith("A subschema had errors")
        || (error.startsWith("Property ") && error.endsWith("does not match schema"))
        || error.startsWith("Items did not match")
        || error.startsWith("Item did not match");
  }
}
