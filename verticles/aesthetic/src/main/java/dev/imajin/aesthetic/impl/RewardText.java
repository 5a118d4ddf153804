package dev.imajin.aesthetic.impl;

/**
 * A prompt as a reward model takes it: {@code input_ids} (BOS, the tokens, EOS, then padding, as
 * {@link dev.imajin.inference.text.ClipTokenizer#encode(String, int, int)} frames them) and the
 * {@code attention_mask} that marks BOS to EOS with 1 and the padding with 0.
 */
record RewardText(long[] ids, long[] mask) {

  /** The ids with their mask; {@code pad} is the id they are padded with. */
  static RewardText of(int[] encoded, int eos, int pad) {
    int length = contentLength(encoded, eos, pad);
    long[] ids = new long[encoded.length];
    long[] mask = new long[encoded.length];
    for (int i = 0; i < encoded.length; i++) {
      ids[i] = encoded[i];
      mask[i] = i < length ? 1 : 0;
    }
    return new RewardText(ids, mask);
  }

  /**
   * How many ids, BOS to EOS, the sequence holds: everything before the padding that ends it. When
   * the pad is EOS itself (CLIP's usual), the first EOS of that trailing run ends the text.
   */
  static int contentLength(int[] encoded, int eos, int pad) {
    int end = encoded.length - 1;
    while (end > 0 && encoded[end] == pad) {
      end--;
    }
    return pad == eos ? Math.min(end + 2, encoded.length) : end + 1;
  }
}
