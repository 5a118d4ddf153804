package dev.imajin.inference.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the files of a Hugging Face tokenizer folder. Every failure names the file. */
final class TokenizerFiles {

  static final ObjectMapper JSON = new ObjectMapper();

  private TokenizerFiles() {}

  static IllegalArgumentException invalid(Path file, String problem) {
    return new IllegalArgumentException(file + ": " + problem);
  }

  static byte[] readBytes(Path file) {
    if (!Files.isRegularFile(file)) {
      throw invalid(file, "missing or not a regular file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** The file's top-level JSON object. */
  static JsonNode readObject(Path file) {
    return parseObject(file, readBytes(file));
  }

  static JsonNode parseObject(Path file, byte[] content) {
    JsonNode node;
    try {
      node = JSON.readTree(content);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw invalid(file, "expected a JSON object");
    }
    return node;
  }

  /** The file's JSON object, or empty when the file does not exist. */
  static Optional<JsonNode> readOptionalObject(Path file) {
    return Files.exists(file) ? Optional.of(readObject(file)) : Optional.empty();
  }

  static List<String> readLines(Path file) {
    return new String(readBytes(file), StandardCharsets.UTF_8).lines().toList();
  }

  /**
   * A token-to-id map from a JSON object such as {@code vocab.json}, in file order. {@code where}
   * says where in the file the object sits, for messages.
   */
  static Map<String, Integer> vocabulary(Path file, String where, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw invalid(file, where + " must be a JSON object of token to id");
    }
    Map<String, Integer> vocab = new LinkedHashMap<>(node.size() * 2);
    Map<Integer, String> seen = new HashMap<>(node.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode id = e.getValue();
      if (!id.canConvertToInt() || !id.isIntegralNumber() || id.intValue() < 0) {
        throw invalid(file, where + ": id of token '" + e.getKey() + "' is not an integer >= 0");
      }
      String other = seen.putIfAbsent(id.intValue(), e.getKey());
      if (other != null) {
        throw invalid(
            file, where + ": tokens '" + other + "' and '" + e.getKey() + "' share id " + id);
      }
      vocab.put(e.getKey(), id.intValue());
    }
    if (vocab.isEmpty()) {
      throw invalid(file, where + " is empty");
    }
    return vocab;
  }
}
