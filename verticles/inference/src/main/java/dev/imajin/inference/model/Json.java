package dev.imajin.inference.model;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the JSON files of an export, failing with a message that names the file. */
final class Json {
  private Json() {}

  static JsonObject read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelException(file + ": does not exist");
    }
    try {
      return new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new ModelException(file + ": cannot be read: " + e.getMessage(), e);
    } catch (DecodeException e) {
      throw new ModelException(file + ": not a valid JSON object: " + e.getMessage());
    }
  }

  static Optional<JsonObject> readIfExists(Path file) {
    return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
  }

  /** A whole number under {@code key}, or empty; anything else fails naming the file and key. */
  static Optional<Integer> integer(Path file, JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Integer || value instanceof Long) {
      return Optional.of(((Number) value).intValue());
    }
    throw new ModelException(file + ": " + key + ": expected a whole number, was " + value);
  }
}
