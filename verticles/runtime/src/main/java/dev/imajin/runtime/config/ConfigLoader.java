package dev.imajin.runtime.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads imajin's configuration in layers, each overriding the one before: the built-in {@code
 * config.defaults.yaml}, a deployment file ({@code --config FILE}, else {@code ./config.yaml} when
 * present), {@code IMAJIN_*} environment variables, then {@code key.path=value} overrides from the
 * command line. Keys are kebab-case; in environment variables {@code __} separates levels and
 * {@code _} stands for {@code -}: {@code IMAJIN_SERVICES__GPU_BOSS__PORT=9007}. Values are read as
 * YAML, so {@code 8080}, {@code true} and {@code [a, b]} have their types.
 */
public final class ConfigLoader {
  public static final String DEFAULTS_RESOURCE = "config.defaults.yaml";
  public static final Path DEFAULT_FILE = Path.of("config.yaml");
  static final String ENV_PREFIX = "IMAJIN_";

  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .build();
  private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};

  private ConfigLoader() {}

  /**
   * Loads and validates the configuration.
   *
   * @param file the deployment file named on the command line; when empty, {@code ./config.yaml} is
   *     read if it exists
   * @param env the process environment; only {@code IMAJIN_*} variables are read
   * @param overrides {@code key.path=value} pairs, applied last
   * @throws ConfigException naming the key (and file) of the first bad value
   */
  public static ImajinConfig load(
      Optional<Path> file, Map<String, String> env, List<String> overrides) {
    Map<String, Object> tree = defaults();
    Optional<Path> deployment =
        file.or(() -> Optional.of(DEFAULT_FILE).filter(Files::isRegularFile));
    deployment.ifPresent(path -> merge(tree, readFile(path)));
    merge(tree, fromEnvironment(env));
    merge(tree, fromOverrides(overrides));
    return bind(tree);
  }

  /** The built-in defaults alone. */
  public static ImajinConfig defaultConfig() {
    return bind(defaults());
  }

  static Map<String, Object> defaults() {
    try (InputStream in =
        ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      return YAML.readValue(in, TREE);
    } catch (IOException e) {
      throw new IllegalStateException("the built-in " + DEFAULTS_RESOURCE + " cannot be read", e);
    }
  }

  static Map<String, Object> readFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("config file " + path + " does not exist");
    }
    try {
      Map<String, Object> tree = YAML.readValue(path.toFile(), TREE);
      return tree == null ? new LinkedHashMap<>() : tree;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(
          "config file " + path + " is not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("config file " + path + " cannot be read: " + e.getMessage());
    }
  }

  static Map<String, Object> fromEnvironment(Map<String, String> env) {
    Map<String, Object> tree = new LinkedHashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
            List<String> path = new ArrayList<>();
            for (String level : name.substring(ENV_PREFIX.length()).split("__")) {
              path.add(level.toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            put(tree, path, scalar(name, value));
          }
        });
    return tree;
  }

  static Map<String, Object> fromOverrides(List<String> overrides) {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--set " + override + ": expected key.path=value");
      }
      String key = override.substring(0, eq).trim();
      put(tree, List.of(key.split("\\.")), scalar(key, override.substring(eq + 1)));
    }
    return tree;
  }

  private static Object scalar(String source, String text) {
    if (text.isEmpty()) {
      return "";
    }
    try {
      return YAML.readValue(text, Object.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(source + ": value is not valid YAML: " + e.getOriginalMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> tree, List<String> path, Object value) {
    Map<String, Object> node = tree;
    for (String level : path.subList(0, path.size() - 1)) {
      node = (Map<String, Object>) node.computeIfAbsent(level, k -> new LinkedHashMap<>());
    }
    node.put(path.get(path.size() - 1), value);
  }

  @SuppressWarnings("unchecked")
  static void merge(Map<String, Object> base, Map<String, Object> layer) {
    layer.forEach(
        (key, value) -> {
          Object current = base.get(key);
          if (current instanceof Map && value instanceof Map) {
            merge((Map<String, Object>) current, (Map<String, Object>) value);
          } else {
            base.put(key, value);
          }
        });
  }

  static ImajinConfig bind(Map<String, Object> tree) {
    if (tree.get("services") instanceof Map<?, ?> services) {
      for (Object name : services.keySet()) {
        try {
          dev.imajin.contracts.ServiceId.of(name.toString());
        } catch (IllegalArgumentException e) {
          throw new ConfigException("services." + name + ": " + e.getMessage());
        }
      }
    }
    try {
      return YAML.convertValue(tree, ImajinConfig.class);
    } catch (IllegalArgumentException e) {
      throw explain(e.getCause() instanceof JsonMappingException m ? m : null, e);
    }
  }

  private static ConfigException explain(JsonMappingException e, IllegalArgumentException raw) {
    if (e == null) {
      return new ConfigException("configuration is invalid: " + raw.getMessage());
    }
    String at =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."));
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      return new ConfigException(at + ": unknown key; known keys here: " + known);
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof ConfigException c) {
      return new ConfigException(at.isEmpty() ? c.getMessage() : at + "." + c.getMessage());
    }
    if (e instanceof InvalidFormatException f) {
      return new ConfigException(
          at + ": expected " + describe(f.getTargetType()) + ", was '" + f.getValue() + "'");
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new ConfigException(at + ": expected " + describe(m.getTargetType()));
    }
    return new ConfigException(at + ": " + e.getOriginalMessage());
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a " + type.getSimpleName() + " section";
  }
}
