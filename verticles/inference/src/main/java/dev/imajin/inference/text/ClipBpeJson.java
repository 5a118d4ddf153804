package dev.imajin.inference.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code tokenizer.json} of a CLIP byte-level BPE tokenizer from the slow tokenizer's
 * {@code vocab.json} and {@code merges.txt}, so that both file forms run through the same native
 * tokenizer. The pipeline is CLIP's: NFC, whitespace runs to one space and lower case; the CLIP
 * pre-tokenisation pattern (special tokens, contractions, letter runs, single digits, runs of other
 * non-space characters); byte-to-character mapping; BPE with {@code </w>} on each word's last
 * symbol.
 */
final class ClipBpeJson {

  /** CLIP's pre-tokenisation pattern, in the regex dialect of the Rust tokenizers library. */
  static final String PRE_TOKENIZE =
      "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d"
          + "|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

  static final String END_OF_WORD = "</w>";

  private ClipBpeJson() {}

  /** The merges of a {@code merges.txt}: an optional "#version" line, then "left right" lines. */
  static List<String[]> parseMerges(Path file, List<String> lines) {
    List<String[]> merges = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if ((i == 0 && line.startsWith("#version")) || line.isEmpty()) {
        continue;
      }
      String[] pair = line.split(" ", -1);
      if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
        throw TokenizerFiles.invalid(
            file, "line " + (i + 1) + " is not two tokens separated by one space: '" + line + "'");
      }
      merges.add(pair);
    }
    return merges;
  }

  /** Every merge's parts and result must be in the vocabulary, as the BPE model requires. */
  static void checkMerges(Path file, List<String[]> merges, Map<String, Integer> vocab) {
    for (int i = 0; i < merges.size(); i++) {
      String[] m = merges.get(i);
      for (String token : new String[] {m[0], m[1], m[0] + m[1]}) {
        if (!vocab.containsKey(token)) {
          throw TokenizerFiles.invalid(
              file,
              "merge "
                  + (i + 1)
                  + " '"
                  + m[0]
                  + " "
                  + m[1]
                  + "' needs '"
                  + token
                  + "', which is not in the vocabulary");
        }
      }
    }
  }

  /**
   * The tokenizer.json text. {@code specials} become added tokens (matched in text before
   * pre-tokenisation, as CLIP does for its start and end tokens); {@code unk} may be null.
   */
  static String build(
      Map<String, Integer> vocab, List<String[]> merges, List<String> specials, String unk) {
    ObjectNode root = TokenizerFiles.JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : specials) {
      added
          .addObject()
          .put("id", vocab.get(special))
          .put("content", special)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", true)
          .put("special", true);
    }
    root.set("normalizer", normalizer());
    root.set("pre_tokenizer", preTokenizer());
    root.putNull("post_processor");
    root.set("decoder", byteLevel().put("add_prefix_space", true).put("use_regex", true));
    root.set("model", model(vocab, merges, unk));
    try {
      return TokenizerFiles.JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a tokenizer.json", e);
    }
  }

  private static ObjectNode normalizer() {
    ObjectNode n = TokenizerFiles.JSON.createObjectNode().put("type", "Sequence");
    ArrayNode steps = n.putArray("normalizers");
    steps.addObject().put("type", "NFC");
    ObjectNode replace = steps.addObject().put("type", "Replace");
    replace.putObject("pattern").put("Regex", "\\s+");
    replace.put("content", " ");
    steps.addObject().put("type", "Lowercase");
    return n;
  }

  private static ObjectNode preTokenizer() {
    ObjectNode n = TokenizerFiles.JSON.createObjectNode().put("type", "Sequence");
    ArrayNode steps = n.putArray("pretokenizers");
    ObjectNode split = steps.addObject().put("type", "Split");
    split.putObject("pattern").put("Regex", PRE_TOKENIZE);
    split.put("behavior", "Removed").put("invert", true);
    steps.add(byteLevel().put("add_prefix_space", false).put("use_regex", false));
    return n;
  }

  private static ObjectNode byteLevel() {
    return TokenizerFiles.JSON
        .createObjectNode()
        .put("type", "ByteLevel")
        .put("trim_offsets", true);
  }

  private static ObjectNode model(Map<String, Integer> vocab, List<String[]> merges, String unk) {
    ObjectNode m = TokenizerFiles.JSON.createObjectNode().put("type", "BPE");
    m.putNull("dropout");
    m.put("unk_token", unk);
    m.put("continuing_subword_prefix", "");
    m.put("end_of_word_suffix", END_OF_WORD);
    m.put("fuse_unk", false);
    m.put("byte_fallback", false);
    ObjectNode v = m.putObject("vocab");
    vocab.forEach(v::put);
    ArrayNode ms = m.putArray("merges");
    for (String[] merge : merges) {
      ms.add(merge[0] + " " + merge[1]);
    }
    return m;
  }
}
