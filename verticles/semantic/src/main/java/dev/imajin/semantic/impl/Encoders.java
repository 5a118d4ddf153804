package dev.imajin.semantic.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.runtime.HostedModels;
import dev.imajin.inference.runtime.ModelRecipe;
import dev.imajin.inference.text.ClipTokenizer;
import dev.imajin.inference.text.JsonTokenizer;
import dev.imajin.inference.text.SequenceTokenizer;
import dev.imajin.inference.text.Tokenizers;
import java.nio.file.Path;
import java.util.List;

/**
 * How a semantic model loads under {@link HostedModels}: its tokenizer is read first (and kept
 * across reloads while its folder and format stay the same; one that cannot be read answers 422),
 * then both towers open and are checked against the manifest as a {@link DualEncoder} (a
 * disagreement answers 422 naming both). The image tower's hash is the model's in {@code info}.
 */
final class Encoders implements AutoCloseable {
  /** SigLIP's image normalisation, for manifests that give no mean or std. */
  static final float[] HALF = {0.5f, 0.5f, 0.5f};

  private record Source(Path folder, Profile.TokenizerFormat format) {}

  private final Tokenizers<Source, SequenceTokenizer> tokenizers = new Tokenizers<>();

  /** How {@code model} loads; the same for every call with one model. */
  ModelRecipe<SequenceTokenizer, DualEncoder> recipe(Catalog.Model model) {
    return new ModelRecipe<>(
        List.of(Profile.VISION, Profile.TEXT),
        entry -> tokenizer(model),
        (loaded, entry, tokenizer) ->
            DualEncoder.of(loaded, model.profile(), tokenizer, HALF, HALF));
  }

  /** Reads the model's tokenizer, or reuses the one read before; blocking. */
  private SequenceTokenizer tokenizer(Catalog.Model model) {
    Source source = new Source(model.profile().tokenizer(), model.profile().tokenizerFormat());
    try {
      return tokenizers.get(model.id(), source, Encoders::read);
    } catch (IllegalArgumentException e) {
      throw ImajinException.unprocessable(
          "model '" + model.id() + "': the tokenizer cannot be read: " + e.getMessage());
    }
  }

  private static SequenceTokenizer read(Source source) {
    return switch (source.format()) {
      case CLIP -> ClipTokenizer.load(source.folder());
      case JSON -> JsonTokenizer.load(source.folder());
    };
  }

  /** Frees the tokenizers; call it once the models are unloaded. */
  @Override
  public void close() {
    tokenizers.close();
  }
}
