package dev.imajin.inference.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A free-form section of a manifest ({@code preprocess}, {@code postprocess}) with typed reads. A
 * value of the wrong type fails with a {@link ModelException} naming the manifest and the key, so
 * that a translator can read {@code number("scale")} and trust what it gets.
 *
 * @param where the manifest and section the values came from, for messages ({@code
 *     /models/x/imajin-model.yaml: preprocess})
 * @param values the section as parsed: strings, numbers, booleans, lists and maps
 */
public record ModelParameters(String where, Map<String, Object> values) {
  public ModelParameters {
    values = freeze(values);
  }

  public static ModelParameters empty(String where) {
    return new ModelParameters(where, Map.of());
  }

  public boolean has(String key) {
    return values.get(key) != null;
  }

  public Optional<String> string(String key) {
    return read(key, "a string", v -> v instanceof String s ? s : null);
  }

  public Optional<Boolean> flag(String key) {
    return read(key, "true or false", v -> v instanceof Boolean b ? b : null);
  }

  public Optional<Integer> integer(String key) {
    return read(key, "a whole number", ModelParameters::toInt);
  }

  public Optional<Double> number(String key) {
    return read(key, "a number", v -> v instanceof Number n ? n.doubleValue() : null);
  }

  /** A list of numbers, such as {@code mean: [0.5, 0.5, 0.5]}. */
  public Optional<List<Double>> numbers(String key) {
    return read(
        key,
        "a list of numbers",
        v -> list(v, e -> e instanceof Number n ? n.doubleValue() : null));
  }

  /** A list of whole numbers, such as {@code size: [224, 224]}. */
  public Optional<List<Integer>> integers(String key) {
    return read(key, "a list of whole numbers", v -> list(v, ModelParameters::toInt));
  }

  /** A nested mapping, read with the same rules. */
  public Optional<ModelParameters> section(String key) {
    return read(
        key,
        "a mapping",
        v -> v instanceof Map<?, ?> m ? new ModelParameters(where + "." + key, cast(m)) : null);
  }

  private <T> Optional<T> read(String key, String expected, Function<Object, T> convert) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    T converted = convert.apply(value);
    if (converted == null) {
      throw new ModelException(
          where + "." + key + ": expected " + expected + ", was '" + value + "'");
    }
    return Optional.of(converted);
  }

  private static Integer toInt(Object value) {
    if ((value instanceof Integer || value instanceof Long || value instanceof Short)
        && ((Number) value).longValue() == ((Number) value).intValue()) {
      return ((Number) value).intValue();
    }
    return null;
  }

  private static <T> List<T> list(Object value, Function<Object, T> convert) {
    if (!(value instanceof List<?> items)) {
      return null;
    }
    List<T> out = new ArrayList<>(items.size());
    for (Object item : items) {
      T converted = item == null ? null : convert.apply(item);
      if (converted == null) {
        return null;
      }
      out.add(converted);
    }
    return List.copyOf(out);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static Map<String, Object> freeze(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, freezeValue(v)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object freezeValue(Object value) {
    if (value instanceof Map<?, ?> m) {
      return freeze(cast(m));
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(item -> copy.add(freezeValue(item)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
