package dev.imajin.inference.diffusion;

import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.runtime.LoadedModel;
import dev.imajin.inference.text.ClipTokenizer;
import java.util.function.Consumer;

/**
 * Stable Diffusion on ONNX Runtime sessions: text encoding, the denoising loop with a scheduler,
 * and VAE decoding, for the SD1.x/2.x and SDXL layouts, Turbo and LCM. Blocking: callers run {@link
 * #generate} on the model's device pool ({@code ModelHost.run}).
 */
public final class DiffusionPipeline {
  private final LoadedModel model;
  private final DiffusionLayout layout;
  private final ClipTokenizer tokenizer;
  private final ClipTokenizer tokenizer2;

  /**
   * @param tokenizer2 SDXL's second tokenizer, or null
   */
  public DiffusionPipeline(
      LoadedModel model,
      DiffusionLayout layout,
      ClipTokenizer tokenizer,
      ClipTokenizer tokenizer2) {
    this.model = model;
    this.layout = layout;
    this.tokenizer = tokenizer;
    this.tokenizer2 = tokenizer2;
  }

  /** Generates the request's images, reporting each step; throws when cancelled. */
  public GeneratedImages generate(
      DiffusionRequest request, Consumer<StepEvent> progress, Cancellation cancellation) {
    throw ImajinException.notImplemented("diffusion", request.mode().name().toLowerCase());
  }
}
