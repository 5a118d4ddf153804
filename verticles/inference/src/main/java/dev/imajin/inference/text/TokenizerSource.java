package dev.imajin.inference.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CLIP tokenizer folder's vocabulary, plus either its {@code tokenizer.json} text or the merges
 * to build one from; {@code file} is the vocabulary file, to blame in messages.
 */
record TokenizerSource(Path file, Map<String, Integer> vocab, String json, List<String[]> merges) {

  /**
   * {@code tokenizer.json} when the folder has one, else {@code vocab.json} + {@code merges.txt}.
   */
  static TokenizerSource read(Path folder) {
    Path tokenizerJson = folder.resolve("tokenizer.json");
    return Files.exists(tokenizerJson)
        ? fromTokenizerJson(tokenizerJson)
        : fromVocabAndMerges(folder);
  }

  /** The id of a declared special token, which must be in the vocabulary. */
  int id(ClipConfig.Declared token) {
    Integer id = vocab.get(token.token());
    if (id == null) {
      throw new IllegalArgumentException(token.describe() + " is not in the vocabulary of " + file);
    }
    return id;
  }

  /** The tokenizer.json text for the native tokenizer. */
  String tokenizerJson(ClipConfig config) {
    if (json != null) {
      return json;
    }
    List<String> specials = List.of(config.bos().token(), config.eos().token());
    String unk = vocab.containsKey(config.unk().token()) ? config.unk().token() : null;
    return ClipBpeJson.build(vocab, merges, specials, unk);
  }

  private static TokenizerSource fromTokenizerJson(Path file) {
    byte[] bytes = TokenizerFiles.readBytes(file);
    JsonNode root = TokenizerFiles.parseObject(file, bytes);
    JsonNode model = root.path("model");
    if (!"BPE".equals(model.path("type").asText("BPE"))) {
      throw TokenizerFiles.invalid(file, "model is " + model.path("type") + ", CLIP needs BPE");
    }
    Map<String, Integer> vocab =
        new HashMap<>(TokenizerFiles.vocabulary(file, "model.vocab", model.get("vocab")));
    for (JsonNode added : root.path("added_tokens")) {
      if (added.path("content").isTextual() && added.path("id").canConvertToInt()) {
        vocab.put(added.get("content").textValue(), added.get("id").intValue());
      }
    }
    return new TokenizerSource(file, vocab, new String(bytes, StandardCharsets.UTF_8), null);
  }

  private static TokenizerSource fromVocabAndMerges(Path folder) {
    Path vocabFile = folder.resolve("vocab.json");
    if (!Files.exists(vocabFile)) {
      throw TokenizerFiles.invalid(vocabFile, "missing, and there is no tokenizer.json either");
    }
    Map<String, Integer> vocab =
        TokenizerFiles.vocabulary(vocabFile, "vocab.json", TokenizerFiles.readObject(vocabFile));
    Path mergesFile = folder.resolve("merges.txt");
    List<String[]> merges =
        ClipBpeJson.parseMerges(mergesFile, TokenizerFiles.readLines(mergesFile));
    ClipBpeJson.checkMerges(mergesFile, merges, vocab);
    return new TokenizerSource(vocabFile, vocab, null, merges);
  }
}
