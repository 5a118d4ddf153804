package dev.imajin.semantic.impl;

/**
 * SigLIP's scoring: both embeddings L2-normalised, {@code logit = cos * exp(logitScale) +
 * logitBias}, {@code score = sigmoid(logit)}; each text is scored on its own (sigmoid, not
 * softmax).
 */
final class Scoring {
  private Scoring() {}

  /** The logit of an image embedding against a text embedding. */
  static double logit(float[] image, float[] text, double logitScale, double logitBias) {
    if (image.length != text.length) {
      throw new IllegalStateException(
          "the towers' embeddings differ in size: image " + image.length + ", text " + text.length);
    }
    return cosine(image, text) * Math.exp(logitScale) + logitBias;
  }

  /** The cosine of two vectors; 0 when either is all zeros. */
  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return aa == 0 || bb == 0 ? 0 : dot / (Math.sqrt(aa) * Math.sqrt(bb));
  }

  /** The logistic function, without overflow for large |x|. */
  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }
}
