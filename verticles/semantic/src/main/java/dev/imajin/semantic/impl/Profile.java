package dev.imajin.semantic.impl;

import dev.imajin.contracts.semantic.ValidationRequest;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelManifest;
import dev.imajin.inference.model.ModelParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What a semantic model's manifest says besides its graphs' shapes, read when the registry is
 * scanned so that a manifest that cannot work is refused by name before anything loads.
 *
 * <p>Files by role {@code vision_model} and {@code text_model}, a {@code tokenizer} folder (or its
 * {@code tokenizer.json}); {@code preprocess}: the image keys of {@link
 * dev.imajin.inference.image.ImagePreprocess}, plus {@code tokenizer_format}, {@code max_length},
 * {@code pad_token_id} and {@code template}; {@code postprocess}: {@code logit_scale} (the raw, log
 * value) and {@code logit_bias}; {@code thresholds.present}.
 *
 * @param tokenizer the tokenizer folder
 * @param template the default template; {@code {}} (the text as it is) when the manifest has none
 * @param maxLength {@code max_length}, or 0: the length the text graph declares, else the
 *     tokenizer's
 * @param tokenizerFormat {@code clip} (the default) or {@code json}
 * @param padId {@code pad_token_id}, or -1: the tokenizer's pad id
 * @param threshold {@code thresholds.present}, else {@link ValidationRequest#DEFAULT_THRESHOLD}
 */
record Profile(
    Path vision,
    Path text,
    Path tokenizer,
    TokenizerFormat tokenizerFormat,
    ModelParameters preprocess,
    String template,
    int maxLength,
    int padId,
    double logitScale,
    double logitBias,
    double threshold) {

  static final String VISION = "vision_model";
  static final String TEXT = "text_model";

  /** One {@code {}}, no other brace: the contract's {@code Template} pattern. */
  static final Pattern TEMPLATE = Pattern.compile("^[^{}]*\\{\\}[^{}]*$");

  static final String RAW = "{}";

  /** How the tokenizer folder is read: {@code preprocess.tokenizer_format}. */
  enum TokenizerFormat {
    /** CLIP's byte-level BPE: its text cleanup, BOS + tokens + EOS ({@code ClipTokenizer}). */
    CLIP,
    /** A {@code tokenizer.json} run as it is, special tokens from its post-processor. */
    JSON
  }

  /**
   * Reads the profile of an {@code image-text-similarity} model.
   *
   * @throws ModelException naming the manifest and key of the first problem
   */
  static Profile of(ModelEntry entry) {
    ModelManifest manifest =
        entry
            .manifest()
            .orElseThrow(
                () -> new ModelException("model '" + entry.id() + "' has no imajin-model.yaml"));
    Path vision = entry.requireFile(VISION).path();
    Path text = entry.requireFile(TEXT).path();
    Path folder = entry.folder().resolve(ModelManifest.FILE_NAME);
    Path tokenizer =
        entry
            .tokenizer()
            .map(t -> Files.isRegularFile(t) ? t.getParent() : t)
            .orElseThrow(
                () ->
                    new ModelException(
                        folder
                            + ": tokenizer: missing; the text tower needs its tokenizer folder"));
    ModelParameters pre = manifest.preprocess();
    ModelParameters post = manifest.postprocess();
    String format = pre.string("tokenizer_format").orElse("clip");
    TokenizerFormat tokenizerFormat =
        switch (format) {
          case "clip" -> TokenizerFormat.CLIP;
          case "json" -> TokenizerFormat.JSON;
          default ->
              throw new ModelException(
                  pre.where() + ".tokenizer_format: must be clip or json, was '" + format + "'");
        };
    String template = pre.string("template").orElse(RAW);
    if (!TEMPLATE.matcher(template).matches()) {
      throw new ModelException(
          pre.where() + ".template: must hold one {} and no other brace, was '" + template + "'");
    }
    int maxLength = pre.integer("max_length").orElse(0);
    if (pre.has("max_length") && (maxLength < 2 || maxLength > 4096)) {
      throw new ModelException(pre.where() + ".max_length: must be 2..4096, was " + maxLength);
    }
    int padId = pre.integer("pad_token_id").orElse(-1);
    if (pre.has("pad_token_id") && padId < 0) {
      throw new ModelException(pre.where() + ".pad_token_id: must not be negative, was " + padId);
    }
    double scale = required(post, "logit_scale");
    double bias = required(post, "logit_bias");
    Double present = manifest.thresholds().get("present");
    if (present != null && !(present >= 0 && present <= 1)) {
      throw new ModelException(
          folder + ": thresholds.present: must be between 0 and 1, was " + present);
    }
    return new Profile(
        vision,
        text,
        tokenizer,
        tokenizerFormat,
        pre,
        template,
        maxLength,
        padId,
        scale,
        bias,
        present == null ? ValidationRequest.DEFAULT_THRESHOLD : present);
  }

  private static double required(ModelParameters post, String key) {
    double value =
        post.number(key)
            .orElseThrow(
                () ->
                    new ModelException(
                        post.where()
                            + "."
                            + key
                            + ": missing; a dual encoder's split towers need the learned"
                            + " logit_scale and logit_bias of its checkpoint"));
    if (!Double.isFinite(value) || Math.abs(value) > 1_000) {
      throw new ModelException(
          post.where() + "." + key + ": must be a finite number, was " + value);
    }
    return value;
  }

  /** The text to encode: {@code text} in {@code template}. */
  static String fill(String template, String text) {
    int at = template.indexOf(RAW);
    return template.substring(0, at) + text + template.substring(at + RAW.length());
  }
}
