package dev.imajin.inference.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The special tokens and sequence length that a CLIP tokenizer folder declares, each with the file
 * it came from. As in transformers, {@code special_tokens_map.json} wins over {@code
 * tokenizer_config.json}; what neither declares takes the {@code CLIPTokenizer} default.
 */
record ClipConfig(Declared bos, Declared eos, Declared pad, Declared unk, int maxLength) {

  static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
  static final String START_OF_TEXT = "<|startoftext|>";
  static final String END_OF_TEXT = "<|endoftext|>";

  /**
   * Above this, {@code model_max_length} is transformers' "no limit" sentinel (1e30), not a length
   * the text encoder was trained with.
   */
  private static final long UNSET_LENGTH = 1_000_000;

  /** A special token and where it was declared; {@code source} is null for a default. */
  record Declared(String key, String token, Path source) {
    String describe() {
      String what = key + " '" + token + "'";
      return source == null ? "default " + what : source + ": " + what;
    }
  }

  static ClipConfig read(Path folder) {
    Path configFile = folder.resolve(TOKENIZER_CONFIG);
    Path mapFile = folder.resolve(SPECIAL_TOKENS_MAP);
    Optional<JsonNode> config = TokenizerFiles.readOptionalObject(configFile);
    Optional<JsonNode> map = TokenizerFiles.readOptionalObject(mapFile);
    Sources sources = new Sources(configFile, config, mapFile, map);
    return new ClipConfig(
        sources.token("bos_token", START_OF_TEXT),
        sources.token("eos_token", END_OF_TEXT),
        sources.token("pad_token", END_OF_TEXT),
        sources.token("unk_token", END_OF_TEXT),
        config.map(c -> maxLength(configFile, c)).orElse(ClipTokenizer.DEFAULT_MAX_LENGTH));
  }

  private static int maxLength(Path file, JsonNode config) {
    JsonNode value = config.get("model_max_length");
    if (value == null || value.isNull()) {
      return ClipTokenizer.DEFAULT_MAX_LENGTH;
    }
    if (!value.isNumber()) {
      throw TokenizerFiles.invalid(file, "model_max_length is not a number: " + value);
    }
    if (value.doubleValue() > UNSET_LENGTH) {
      return ClipTokenizer.DEFAULT_MAX_LENGTH;
    }
    if (!value.isIntegralNumber() || value.intValue() < 2) {
      throw TokenizerFiles.invalid(
          file, "model_max_length must be an integer >= 2 (room for BOS and EOS), was " + value);
    }
    return value.intValue();
  }

  private record Sources(
      Path configFile, Optional<JsonNode> config, Path mapFile, Optional<JsonNode> map) {

    Declared token(String key, String fallback) {
      Optional<String> fromMap = map.flatMap(m -> content(mapFile, m, key));
      if (fromMap.isPresent()) {
        return new Declared(key, fromMap.get(), mapFile);
      }
      Optional<String> fromConfig = config.flatMap(c -> content(configFile, c, key));
      return fromConfig
          .map(t -> new Declared(key, t, configFile))
          .orElseGet(() -> new Declared(key, fallback, null));
    }

    /** A token written either as a string or as an {@code AddedToken} object with "content". */
    private static Optional<String> content(Path file, JsonNode json, String key) {
      JsonNode value = json.get(key);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (value.isTextual()) {
        return Optional.of(value.textValue());
      }
      if (value.isObject() && value.path("content").isTextual()) {
        return Optional.of(value.get("content").textValue());
      }
      throw TokenizerFiles.invalid(
          file, key + " must be a string or an object with a \"content\" string, was " + value);
    }
  }
}
