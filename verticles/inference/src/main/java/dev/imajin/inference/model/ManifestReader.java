package dev.imajin.inference.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Binds {@code imajin-model.yaml} by hand from the YAML tree, so that every message names the file
 * and the key in the manifest's own spelling.
 */
final class ManifestReader {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private static final Set<String> KEYS =
      Set.of(
          "id",
          "task",
          "family",
          "files",
          "tokenizer",
          "preprocess",
          "postprocess",
          "labels",
          "thresholds",
          "license",
          "description",
          "memory_bytes");
  private static final Set<String> FILE_KEYS = Set.of("path", "sha256", "bytes");

  private final Path file;

  private ManifestReader(Path file) {
    this.file = file;
  }

  static ModelManifest read(Path file) {
    return new ManifestReader(file).bind(parse(file));
  }

  private static JsonNode parse(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelException(file + ": does not exist");
    }
    try {
      JsonNode root = YAML.readTree(file.toFile());
      if (root == null || root.isMissingNode() || root.isNull()) {
        throw new ModelException(file + ": is empty");
      }
      return root;
    } catch (JsonProcessingException e) {
      String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
      throw new ModelException(file + ": not valid YAML" + line + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ModelException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private ModelManifest bind(JsonNode root) {
    expectKeys("", root, KEYS);
    String id = text(root, "id").orElseThrow(required("id"));
    ModelTask task = task(root);
    String family = text(root, "family").orElseThrow(required("family"));
    Map<String, ModelFile> files = files(root.get("files"));
    Optional<String> tokenizer = text(root, "tokenizer");
    ModelParameters preprocess = parameters(root, "preprocess");
    ModelParameters postprocess = parameters(root, "postprocess");
    List<String> labels = labels(root.get("labels"));
    Map<String, Double> thresholds = thresholds(root.get("thresholds"));
    String license = text(root, "license").orElseThrow(required("license"));
    Optional<String> description = text(root, "description");
    OptionalLong memoryBytes = whole(root, "memory_bytes");
    return check(
        "",
        () ->
            new ModelManifest(
                id,
                task,
                family,
                files,
                tokenizer,
                preprocess,
                postprocess,
                labels,
                thresholds,
                license,
                description,
                memoryBytes));
  }

  private ModelTask task(JsonNode root) {
    String name = text(root, "task").orElseThrow(required("task"));
    return ModelTask.of(name)
        .orElseThrow(
            () ->
                error(
                    "task", "unknown task '" + name + "'; known tasks: " + ModelTask.wireNames()));
  }

  private Map<String, ModelFile> files(JsonNode node) {
    if (node == null || node.isNull()) {
      throw required("files").get();
    }
    if (!node.isObject()) {
      throw error("files", "expected a mapping of role to {path, sha256, bytes}");
    }
    Map<String, ModelFile> files = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = "files." + field.getKey();
      JsonNode entry = field.getValue();
      if (!entry.isObject()) {
        throw error(key, "expected a mapping with path, sha256 and bytes");
      }
      expectKeys(key + ".", entry, FILE_KEYS);
      String path = text(entry, key, "path").orElseThrow(required(key + ".path"));
      Optional<String> sha256 = text(entry, key, "sha256");
      OptionalLong bytes = whole(entry, key + ".bytes", "bytes");
      files.put(field.getKey(), check(key + ".", () -> new ModelFile(path, sha256, bytes)));
    }
    return files;
  }

  private ModelParameters parameters(JsonNode root, String key) {
    String where = file + ": " + key;
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      return ModelParameters.empty(where);
    }
    if (!node.isObject()) {
      throw error(key, "expected a mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> values = YAML.convertValue(node, Map.class);
    return new ModelParameters(where, values);
  }

  private List<String> labels(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw error("labels", "expected a list of strings");
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode label = node.get(i);
      if (!label.isTextual() && !label.isNumber()) {
        throw error("labels[" + i + "]", "expected a string, was " + label);
      }
      labels.add(label.asText());
    }
    return labels;
  }

  private Map<String, Double> thresholds(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw error("thresholds", "expected a mapping of name to number");
    }
    Map<String, Double> thresholds = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            field -> {
              if (!field.getValue().isNumber()) {
                throw error(
                    "thresholds." + field.getKey(), "expected a number, was " + field.getValue());
              }
              thresholds.put(field.getKey(), field.getValue().doubleValue());
            });
    return thresholds;
  }

  private Optional<String> text(JsonNode parent, String key) {
    return text(parent, key, key);
  }

  private Optional<String> text(JsonNode parent, String prefix, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      String key = prefix.equals(name) ? name : prefix + "." + name;
      throw error(key, "expected a string (quote it), was " + node);
    }
    return Optional.of(node.textValue());
  }

  private OptionalLong whole(JsonNode parent, String key) {
    return whole(parent, key, key);
  }

  private OptionalLong whole(JsonNode parent, String key, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return OptionalLong.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw error(key, "expected a whole number of bytes, was " + node);
    }
    return OptionalLong.of(node.longValue());
  }

  private void expectKeys(String prefix, JsonNode node, Set<String> known) {
    if (!node.isObject()) {
      throw error(prefix.isEmpty() ? "(top level)" : prefix, "expected a mapping of keys");
    }
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                throw error(
                    prefix + name,
                    "unknown key; known keys here: " + String.join(", ", new TreeSet<>(known)));
              }
            });
  }

  /** Runs a record constructor, prefixing its key-named message with the file and key path. */
  private <T> T check(String prefix, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (ModelException e) {
      throw new ModelException(file + ": " + prefix + e.getMessage());
    }
  }

  private Supplier<ModelException> required(String key) {
    return () -> error(key, "is required");
  }

  private ModelException error(String key, String problem) {
    return new ModelException(file + ": " + key + ": " + problem);
  }
}
