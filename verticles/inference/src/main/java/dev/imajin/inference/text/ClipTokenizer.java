package dev.imajin.inference.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

/**
 * The CLIP tokenizer of Stable Diffusion text encoders: text to exactly {@link #maxLength()} ids.
 *
 * <p>The text is NFC-normalised, whitespace runs become one space, ends are stripped and it is
 * lower-cased; then byte-level BPE gives the tokens. The result is BOS, the tokens, EOS, truncated
 * to {@code maxLength} keeping EOS last, and padded with the pad id. Every text tokenises: a word
 * outside the vocabulary falls back to byte tokens. A special-token string typed in the text (such
 * as {@code <|endoftext|>}) becomes that special token, as in the reference tokenizers.
 *
 * <p>{@link #load} reads a model's tokenizer folder: {@code tokenizer.json} when present, else
 * {@code vocab.json} plus {@code merges.txt}; the special tokens and {@code model_max_length} come
 * from {@code special_tokens_map.json} and {@code tokenizer_config.json}. Load errors are {@link
 * IllegalArgumentException}s whose message starts with the offending file.
 *
 * <p>Instances are thread-safe. {@link #close()} frees the native tokenizer; it waits for encodes
 * in flight, and later encodes throw {@link IllegalStateException}.
 */
public final class ClipTokenizer implements SequenceTokenizer {

  /** The CLIP text encoders' sequence length, used when the folder declares none. */
  public static final int DEFAULT_MAX_LENGTH = 77;

  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final int bosId;
  private final int eosId;
  private final int padId;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private ClipTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, int bos, int eos, int pad) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.bosId = bos;
    this.eosId = eos;
    this.padId = pad;
  }

  /**
   * Loads the tokenizer in {@code folder} (a diffusers {@code tokenizer/} or {@code tokenizer_2/}).
   *
   * @throws IllegalArgumentException naming the file, when a file is missing or malformed, or when
   *     a special token is not in the vocabulary
   * @throws IllegalStateException when the native tokenizers library cannot be loaded
   */
  public static ClipTokenizer load(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw TokenizerFiles.invalid(folder, "not a tokenizer folder");
    }
    ClipConfig config = ClipConfig.read(folder);
    TokenizerSource source = TokenizerSource.read(folder);
    int bos = source.id(config.bos());
    int eos = source.id(config.eos());
    int pad = source.id(config.pad());
    HuggingFaceTokenizer tokenizer =
        NativeTokenizers.create(source.tokenizerJson(config), source.file());
    return new ClipTokenizer(tokenizer, config.maxLength(), bos, eos, pad);
  }

  /** CLIP's text cleanup: NFC, whitespace runs to one space, strip, lower case. */
  static String clean(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    return WHITESPACE.matcher(nfc).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
  }

  /** The ids of {@code text}: always exactly {@link #maxLength()} of them. */
  public int[] encode(String text) {
    return encode(text, maxLength, padId);
  }

  /**
   * The ids of {@code text} framed for a model that sets its own sequence: BOS, the tokens and EOS,
   * truncated to {@code length} keeping EOS last, then padded with {@code pad} (SigLIP-style text
   * towers take the tokenizer's text cleanup and vocabulary but their own length and pad id).
   *
   * @param length the number of ids, at least 2
   */
  public int[] encode(String text, int length, int pad) {
    return sequence(text, length, pad).ids();
  }

  /** {@link #encode(String, int, int)} with how many ids are the text's (BOS to EOS). */
  @Override
  public Sequence sequence(String text, int length, int pad) {
    Objects.requireNonNull(text, "text");
    if (length < 2) {
      throw new IllegalArgumentException("length must leave room for BOS and EOS, was " + length);
    }
    long[] pieces = tokens(clean(text));
    int n = Math.min(pieces.length, length - 2);
    int[] ids = new int[length];
    Arrays.fill(ids, pad);
    ids[0] = bosId;
    for (int i = 0; i < n; i++) {
      ids[i + 1] = Math.toIntExact(pieces[i]);
    }
    ids[n + 1] = eosId;
    return new Sequence(ids, n + 2);
  }

  /** {@link #encode} widened to int64, the {@code input_ids} type of most ONNX exports. */
  public long[] encodeLong(String text) {
    return Arrays.stream(encode(text)).asLongStream().toArray();
  }

  private long[] tokens(String cleaned) {
    Lock read = lock.readLock();
    read.lock();
    try {
      if (closed) {
        throw new IllegalStateException("tokenizer is closed");
      }
      return tokenizer.encode(cleaned, false, false).getIds();
    } finally {
      read.unlock();
    }
  }

  /**
   * The position of the first EOS in {@code ids}: where CLIP gathers its pooled output.
   *
   * @throws IllegalArgumentException when {@code ids} holds no EOS
   */
  public int eosIndex(int[] ids) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == eosId) {
        return i;
      }
    }
    throw new IllegalArgumentException("no EOS id " + eosId + " in the ids");
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  public int bosId() {
    return bosId;
  }

  public int eosId() {
    return eosId;
  }

  @Override
  public int padId() {
    return padId;
  }

  @Override
  public void close() {
    Lock write = lock.writeLock();
    write.lock();
    try {
      if (!closed) {
        closed = true;
        tokenizer.close();
      }
    } finally {
      write.unlock();
    }
  }
}
