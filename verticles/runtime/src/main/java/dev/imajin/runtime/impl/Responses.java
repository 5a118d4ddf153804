package dev.imajin.runtime.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes response bodies: contract records and JSON, and problems. */
final class Responses {
  static final String JSON = "application/json";
  static final String PROBLEM_JSON = "application/problem+json";

  private Responses() {}

  static Buffer encode(Object body) {
    if (body instanceof JsonObject json) {
      return json.toBuffer();
    }
    try {
      return Buffer.buffer(Json.mapper().writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw ImajinException.internal("the response cannot be written as JSON", e);
    }
  }

  static void problem(HttpServerResponse response, Problem problem) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(problem.status()).putHeader("Content-Type", PROBLEM_JSON);
    if (problem.retryAfterSeconds() != null) {
      response.putHeader("Retry-After", problem.retryAfterSeconds().toString());
    }
    response.end(encode(problem));
  }
}
