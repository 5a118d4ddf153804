package dev.imajin.inference.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CLIP-format tokenizer folders written by code: a real byte-level BPE vocabulary, laid out like
 * OpenAI CLIP's (256 byte characters, their {@code </w>} forms, one token per merge, then {@code
 * <|startoftext|>} and {@code <|endoftext|>} as the last two ids), but with only the merges needed
 * to make each listed word one token. Byte ids match the real vocabulary: {@code !} is 0, {@code
 * a</w>} is 320.
 */
public final class TokenizerFixtures {

  /** The words of {@link #clipVocabulary()}: each is one token. */
  public static final List<String> WORDS =
      List.of("a", "red", "circle", "star", "on", "blue", "background", "photo", "of", "cat");

  public static final String START_OF_TEXT = "<|startoftext|>";
  public static final String END_OF_TEXT = "<|endoftext|>";
  public static final String END_OF_WORD = "</w>";

  /** The pad token a folder declares: SD1.x / SDXL {@code tokenizer}, or SD2.x / SDXL te2. */
  public enum Pad {
    END_OF_TEXT(TokenizerFixtures.END_OF_TEXT),
    EXCLAMATION("!");

    public final String token;

    Pad(String token) {
      this.token = token;
    }
  }

  /** Which vocabulary files a folder holds (the config files are always written). */
  public enum Form {
    TOKENIZER_JSON,
    VOCAB_AND_MERGES,
    BOTH
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ONE_WORD = Pattern.compile("\\p{L}+|[^\\s\\p{L}\\p{N}]+");

  private TokenizerFixtures() {}

  /** The vocabulary of {@link #WORDS}. */
  public static ClipVocabulary clipVocabulary() {
    return ClipVocabulary.of(WORDS);
  }

  /** Writes the {@link #WORDS} tokenizer into {@code dir}, 77 long; returns {@code dir}. */
  public static Path writeClip(Path dir, Form form, Pad pad) {
    return clipVocabulary().write(dir, form, pad, 77);
  }

  /**
   * Writes a {@code tokenizer.json} that is not CLIP's, shaped like a SigLIP export's (there a
   * SentencePiece model; here word-level): a lower-case normaliser, a whitespace pre-tokeniser, a
   * post-processor that appends {@code </s>}, {@code <unk>} for unknown words, and a padding
   * section declaring {@code <pad>}. {@code vocab} must hold {@code <pad>}, {@code </s>} and {@code
   * <unk>}. Returns {@code dir}.
   */
  public static Path writeWordLevel(Path dir, Map<String, Integer> vocab) {
    ObjectNode root = JSON.createObjectNode().put("version", "1.0");
    root.putNull("truncation");
    root.putObject("padding")
        .put("strategy", "BatchLongest")
        .put("direction", "Right")
        .putNull("pad_to_multiple_of")
        .put("pad_id", vocab.get("<pad>"))
        .put("pad_type_id", 0)
        .put("pad_token", "<pad>");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : List.of("<pad>", "</s>", "<unk>")) {
      added
          .addObject()
          .put("id", vocab.get(special))
          .put("content", special)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", false)
          .put("special", true);
    }
    root.putObject("normalizer").put("type", "Lowercase");
    root.putObject("pre_tokenizer").put("type", "Whitespace");
    ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    single.addObject().putObject("SpecialToken").put("id", "</s>").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 0);
    pair.addObject().putObject("SpecialToken").put("id", "</s>").put("type_id", 0);
    ObjectNode eos = post.putObject("special_tokens").putObject("</s>").put("id", "</s>");
    eos.putArray("ids").add(vocab.get("</s>"));
    eos.putArray("tokens").add("</s>");
    root.putNull("decoder");
    ObjectNode model = root.putObject("model").put("type", "WordLevel");
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    model.put("unk_token", "<unk>");
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("tokenizer.json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The GPT-2 / CLIP byte-to-character table: printable Latin-1 bytes stand for themselves, the
   * others map to U+0100 onwards; in this order the table also gives the byte tokens' ids.
   */
  public static List<Map.Entry<Integer, String>> byteCharacters() {
    List<Map.Entry<Integer, String>> table = new ArrayList<>(256);
    List<Integer> rest = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      if (printable) {
        table.add(Map.entry(b, String.valueOf((char) b)));
      } else {
        rest.add(b);
      }
    }
    for (int n = 0; n < rest.size(); n++) {
      table.add(Map.entry(rest.get(n), String.valueOf((char) (256 + n))));
    }
    return table;
  }

  /** A CLIP BPE vocabulary built from a word list. Immutable once built. */
  public static final class ClipVocabulary {
    private final Map<String, Integer> vocab;
    private final List<String> merges;
    private final String[] byteChar;

    private ClipVocabulary(Map<String, Integer> vocab, List<String> merges, String[] byteChar) {
      this.vocab = Collections.unmodifiableMap(vocab);
      this.merges = List.copyOf(merges);
      this.byteChar = byteChar;
    }

    /**
     * Builds merges so that every word becomes exactly one token. Words must be lower case and
     * single CLIP pre-tokens: a run of letters, or a run of other non-space, non-digit characters.
     */
    public static ClipVocabulary of(Collection<String> words) {
      String[] byteChar = new String[256];
      List<String> tokens = new ArrayList<>();
      for (Map.Entry<Integer, String> e : byteCharacters()) {
        byteChar[e.getKey()] = e.getValue();
        tokens.add(e.getValue());
      }
      for (Map.Entry<Integer, String> e : byteCharacters()) {
        tokens.add(e.getValue() + END_OF_WORD);
      }
      Map<String, Integer> ranks = new HashMap<>();
      List<String> merges = new ArrayList<>();
      for (String word : words) {
        if (!ONE_WORD.matcher(word).matches() || !word.equals(word.toLowerCase())) {
          throw new IllegalArgumentException("not a lower-case CLIP word: '" + word + "'");
        }
        List<String> symbols = bpe(symbols(word, byteChar), ranks);
        while (symbols.size() > 1) {
          // Appended merges rank after every existing one, so earlier words keep their tokens and
          // this word's segmentation so far is unchanged; each new merge shortens it.
          String pair = symbols.get(0) + " " + symbols.get(1);
          ranks.put(pair, merges.size());
          merges.add(pair);
          tokens.add(symbols.get(0) + symbols.get(1));
          symbols = bpe(symbols(word, byteChar), ranks);
        }
      }
      tokens.add(START_OF_TEXT);
      tokens.add(END_OF_TEXT);
      Map<String, Integer> vocab = new LinkedHashMap<>();
      for (String token : tokens) {
        vocab.putIfAbsent(token, vocab.size());
      }
      return new ClipVocabulary(vocab, merges, byteChar);
    }

    private static List<String> symbols(String word, String[] byteChar) {
      List<String> symbols = new ArrayList<>();
      for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
        symbols.add(byteChar[b & 0xFF]);
      }
      int last = symbols.size() - 1;
      symbols.set(last, symbols.get(last) + END_OF_WORD);
      return symbols;
    }

    /** CLIP's BPE: merge the lowest-ranked adjacent pair everywhere, until none applies. */
    static List<String> bpe(List<String> start, Map<String, Integer> ranks) {
      List<String> symbols = new ArrayList<>(start);
      while (symbols.size() > 1) {
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i + 1 < symbols.size(); i++) {
          Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
          if (rank != null && rank < bestRank) {
            bestRank = rank;
            best = symbols.get(i) + " " + symbols.get(i + 1);
          }
        }
        if (best == null) {
          break;
        }
        List<String> merged = new ArrayList<>();
        for (int i = 0; i < symbols.size(); i++) {
          if (i + 1 < symbols.size() && best.equals(symbols.get(i) + " " + symbols.get(i + 1))) {
            merged.add(symbols.get(i) + symbols.get(i + 1));
            i++;
          } else {
            merged.add(symbols.get(i));
          }
        }
        symbols = merged;
      }
      return symbols;
    }

    /** Token to id, in id order. */
    public Map<String, Integer> vocab() {
      return vocab;
    }

    /** Merges as "left right", in rank order. */
    public List<String> merges() {
      return merges;
    }

    /** The number of ids: the text encoder's embedding rows. */
    public int size() {
      return vocab.size();
    }

    public int bosId() {
      return id(START_OF_TEXT);
    }

    public int eosId() {
      return id(END_OF_TEXT);
    }

    public int id(String token) {
      Integer id = vocab.get(token);
      if (id == null) {
        throw new IllegalArgumentException("not in the vocabulary: '" + token + "'");
      }
      return id;
    }

    /** The id of a listed word standing alone (its {@code </w>} token). */
    public int wordId(String word) {
      return id(word + END_OF_WORD);
    }

    /** The id of a single byte's token, with {@code </w>} when it ends a word. */
    public int byteId(int b, boolean endOfWord) {
      return id(byteChar[b & 0xFF] + (endOfWord ? END_OF_WORD : ""));
    }

    /**
     * Writes a tokenizer folder: the vocabulary in {@code form}, plus {@code tokenizer_config.json}
     * and {@code special_tokens_map.json} declaring {@code pad} and {@code maxLength}. Returns
     * {@code dir}.
     */
    public Path write(Path dir, Form form, Pad pad, int maxLength) {
      try {
        Files.createDirectories(dir);
        if (form != Form.VOCAB_AND_MERGES) {
          writeJson(dir.resolve("tokenizer.json"), tokenizerJson());
        }
        if (form != Form.TOKENIZER_JSON) {
          ObjectNode v = JSON.createObjectNode();
          vocab.forEach(v::put);
          writeJson(dir.resolve("vocab.json"), v);
          Files.writeString(
              dir.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", merges) + "\n");
        }
        writeJson(dir.resolve("tokenizer_config.json"), tokenizerConfig(pad, maxLength));
        writeJson(dir.resolve("special_tokens_map.json"), specialTokensMap(pad));
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void writeJson(Path file, ObjectNode json) throws IOException {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    /** A tokenizer.json as transformers writes one for CLIPTokenizerFast. */
    private ObjectNode tokenizerJson() {
      ObjectNode root = JSON.createObjectNode().put("version", "1.0");
      root.putNull("truncation");
      root.putNull("padding");
      ArrayNode added = root.putArray("added_tokens");
      for (String special : List.of(START_OF_TEXT, END_OF_TEXT)) {
        added
            .addObject()
            .put("id", id(special))
            .put("content", special)
            .put("single_word", false)
            .put("lstrip", false)
            .put("rstrip", false)
            .put("normalized", true)
            .put("special", true);
      }
      ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
      ArrayNode norms = normalizer.putArray("normalizers");
      norms.addObject().put("type", "NFC");
      ObjectNode replace = norms.addObject().put("type", "Replace");
      replace.putObject("pattern").put("Regex", "\\s+");
      replace.put("content", " ");
      norms.addObject().put("type", "Lowercase");
      ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
      ArrayNode pres = pre.putArray("pretokenizers");
      ObjectNode split = pres.addObject().put("type", "Split");
      split
          .putObject("pattern")
          .put(
              "Regex",
              "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]"
                  + "|[^\\s\\p{L}\\p{N}]+");
      split.put("behavior", "Removed").put("invert", true);
      pres.addObject()
          .put("type", "ByteLevel")
          .put("add_prefix_space", false)
          .put("trim_offsets", true)
          .put("use_regex", false);
      ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
      post.putArray("sep").add(END_OF_TEXT).add(eosId());
      post.putArray("cls").add(START_OF_TEXT).add(bosId());
      post.put("trim_offsets", false).put("add_prefix_space", false);
      root.putObject("decoder")
          .put("type", "ByteLevel")
          .put("add_prefix_space", true)
          .put("trim_offsets", true)
          .put("use_regex", true);
      ObjectNode model = root.putObject("model").put("type", "BPE");
      model.putNull("dropout");
      model.put("unk_token", END_OF_TEXT);
      model.put("continuing_subword_prefix", "");
      model.put("end_of_word_suffix", END_OF_WORD);
      model.put("fuse_unk", false);
      model.put("byte_fallback", false);
      ObjectNode v = model.putObject("vocab");
      vocab.forEach(v::put);
      ArrayNode m = model.putArray("merges");
      merges.forEach(m::add);
      return root;
    }

    private static ObjectNode addedToken(String content) {
      return JSON.createObjectNode()
          .put("__type", "AddedToken")
          .put("content", content)
          .put("lstrip", false)
          .put("normalized", true)
          .put("rstrip", false)
          .put("single_word", false);
    }

    private static ObjectNode tokenizerConfig(Pad pad, int maxLength) {
      ObjectNode c = JSON.createObjectNode().put("add_prefix_space", false);
      c.set("bos_token", addedToken(START_OF_TEXT));
      c.put("do_lower_case", true);
      c.set("eos_token", addedToken(END_OF_TEXT));
      c.put("errors", "replace");
      c.put("model_max_length", maxLength);
      c.put("pad_token", pad.token);
      c.put("tokenizer_class", "CLIPTokenizer");
      c.set("unk_token", addedToken(END_OF_TEXT));
      return c;
    }

    private static ObjectNode specialTokensMap(Pad pad) {
      ObjectNode m = JSON.createObjectNode();
      m.set("bos_token", addedToken(START_OF_TEXT).without("__type"));
      m.set("eos_token", addedToken(END_OF_TEXT).without("__type"));
      m.put("pad_token", pad.token);
      m.set("unk_token", addedToken(END_OF_TEXT).without("__type"));
      return m;
    }
  }
}
