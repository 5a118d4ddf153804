package dev.imajin.inference.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@code tokenizer.json} run as it is, for text towers whose tokenizer is not CLIP's (SigLIP's
 * SentencePiece, SigLIP 2's Gemma BPE): its own normaliser and pre-tokeniser, and its
 * post-processor's special tokens (such as a closing {@code </s>}). The ids are then truncated
 * keeping the closing special tokens last and padded to the model's length.
 *
 * <p>The pad id is the one {@code tokenizer.json}'s {@code padding} section declares, if any;
 * models usually name theirs in the manifest. Load errors are {@link IllegalArgumentException}s
 * whose message starts with the file. Thread-safe; see {@link SequenceTokenizer#close()}.
 */
public final class JsonTokenizer implements SequenceTokenizer {
  private final HuggingFaceTokenizer tokenizer;
  private final int padId;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private JsonTokenizer(HuggingFaceTokenizer tokenizer, int padId) {
    this.tokenizer = tokenizer;
    this.padId = padId;
  }

  /**
   * Loads {@code tokenizer.json}, or the one in {@code path} when it is a folder.
   *
   * @throws IllegalArgumentException naming the file when it is missing or unreadable
   * @throws IllegalStateException when the native tokenizers library cannot be loaded
   */
  public static JsonTokenizer load(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
    if (!Files.isRegularFile(file)) {
      throw TokenizerFiles.invalid(file, "missing");
    }
    byte[] bytes = TokenizerFiles.readBytes(file);
    JsonNode root = TokenizerFiles.parseObject(file, bytes);
    JsonNode pad = root.path("padding").path("pad_id");
    HuggingFaceTokenizer hf =
        NativeTokenizers.create(new String(bytes, StandardCharsets.UTF_8), file);
    return new JsonTokenizer(hf, pad.canConvertToInt() ? pad.intValue() : -1);
  }

  @Override
  public Sequence sequence(String text, int length, int pad) {
    Objects.requireNonNull(text, "text");
    Encoding encoding = encoding(text);
    long[] ids = encoding.getIds();
    long[] special = encoding.getSpecialTokenMask();
    int closing = 0;
    while (closing < ids.length && special[ids.length - 1 - closing] == 1) {
      closing++;
    }
    if (length < 1 || closing > length) {
      throw new IllegalArgumentException(
          "length " + length + " cannot hold the " + closing + " closing special tokens");
    }
    int used = Math.min(ids.length, length);
    int head = used - closing;
    int[] out = new int[length];
    Arrays.fill(out, pad);
    for (int i = 0; i < head; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    for (int i = 0; i < closing; i++) {
      out[head + i] = Math.toIntExact(ids[ids.length - closing + i]);
    }
    return new Sequence(out, used);
  }

  private Encoding encoding(String text) {
    Lock read = lock.readLock();
    read.lock();
    try {
      if (closed) {
        throw new IllegalStateException("tokenizer is closed");
      }
      return tokenizer.encode(text, true, false);
    } finally {
      read.unlock();
    }
  }

  @Override
  public int padId() {
    return padId;
  }

  @Override
  public int maxLength() {
    return -1;
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
