package dev.imajin.inference.text;

import java.util.Arrays;

/**
 * Text to the fixed-length ids a text tower takes. Implementations are thread-safe; {@link
 * #close()} frees native memory, after which {@code encode} throws {@link IllegalStateException}.
 */
public interface SequenceTokenizer extends AutoCloseable {

  /**
   * The ids of {@code text}, exactly {@code length} of them: the tokenizer's tokens with its
   * special tokens, truncated keeping the closing special tokens last, then padded with {@code
   * pad}.
   *
   * @throws IllegalArgumentException when {@code length} cannot hold the special tokens
   */
  Sequence sequence(String text, int length, int pad);

  /** The pad id the tokenizer declares, or -1 when it declares none. */
  int padId();

  /** The sequence length the tokenizer declares, or -1 when it declares none. */
  int maxLength();

  @Override
  void close();

  /**
   * Fixed-length ids.
   *
   * @param used how many leading ids are the text's (the rest are padding)
   */
  record Sequence(int[] ids, int used) {
    /** The attention mask: 1 for the text's ids, 0 for padding. */
    public long[] mask() {
      long[] mask = new long[ids.length];
      Arrays.fill(mask, 0, used, 1);
      return mask;
    }
  }
}
