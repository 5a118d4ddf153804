package dev.imajin.inference.diffusion;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * Prompt to embeddings (MODELS.md §1.5): SD 1/2 take the text encoder's last hidden state; SDXL
 * concatenates both encoders' penultimate hidden states on the last axis and pools with {@code
 * text_encoder_2}. Without a negative prompt, a model with {@code force_zeros_for_empty_prompt}
 * (SDXL) guides against zeros, the others against the encoding of "".
 */
final class Prompts {
  private final TextEncoder first;
  private final TextEncoder second;
  private final boolean forceZeros;

  /**
   * @param second SDXL's {@code text_encoder_2}, or null
   */
  Prompts(TextEncoder first, TextEncoder second, boolean forceZeros) {
    this.first = first;
    this.second = second;
    this.forceZeros = forceZeros;
  }

  /**
   * Per prompt: [sequence, width] states, then the pooled vectors (SDXL; else null). {@code
   * negative} is null without guidance.
   */
  record Embeddings(
      float[] positive,
      float[] negative,
      float[] pooled,
      float[] negativePooled,
      int sequence,
      int width) {}

  /**
   * @param negativePrompt null or empty for none
   * @param guide whether the negative branch runs
   */
  Embeddings encode(OrtEnvironment env, String prompt, String negativePrompt, boolean guide)
      throws OrtException {
    Embeddings positive = one(env, prompt);
    if (!guide) {
      return positive;
    }
    boolean none = negativePrompt == null || negativePrompt.isEmpty();
    Embeddings negative =
        none && forceZeros
            ? new Embeddings(
                new float[positive.positive().length],
                null,
                positive.pooled() == null ? null : new float[positive.pooled().length],
                null,
                positive.sequence(),
                positive.width())
            : one(env, none ? "" : negativePrompt);
    return new Embeddings(
        positive.positive(),
        negative.positive(),
        positive.pooled(),
        negative.pooled(),
        positive.sequence(),
        positive.width());
  }

  private Embeddings one(OrtEnvironment env, String prompt) throws OrtException {
    TextEncoder.Encoded a = first.encode(env, prompt);
    if (second == null) {
      return new Embeddings(a.states(), null, null, null, a.sequence(), a.width());
    }
    TextEncoder.Encoded b = second.encode(env, prompt);
    if (a.sequence() != b.sequence()) {
      throw new IllegalStateException(
          "the text encoders return " + a.sequence() + " and " + b.sequence() + " positions");
    }
    int width = a.width() + b.width();
    float[] states = new float[a.sequence() * width];
    for (int s = 0; s < a.sequence(); s++) {
      System.arraycopy(a.states(), s * a.width(), states, s * width, a.width());
      System.arraycopy(b.states(), s * b.width(), states, s * width + a.width(), b.width());
    }
    return new Embeddings(states, null, b.pooled(), null, a.sequence(), width);
  }
}
