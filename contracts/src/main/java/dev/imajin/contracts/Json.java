package dev.imajin.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.VertxModule;

/**
 * The one JSON mapping of imajin's wire bodies: snake_case fields, absent optionals omitted,
 * unknown fields refused, times as ISO-8601 strings. Thread-safe.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .addModule(new VertxModule())
          .addModule(new JavaTimeModule())
          .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The record as a Vert.x {@link JsonObject}. */
  public static JsonObject toJson(Object value) {
    return new JsonObject(MAPPER.convertValue(value, MAP_TYPE));
  }

  /**
   * The JSON object as a record of the given type.
   *
   * @throws IllegalArgumentException when the JSON does not fit the type, naming the field
   */
  public static <T> T fromJson(JsonObject json, Class<T> type) {
    return MAPPER.convertValue(json, type);
  }

  private static final com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>
      MAP_TYPE = new com.fasterxml.jackson.core.type.TypeReference<>() {};
}
