package dev.imajin.inference.diffusion;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.diffusion.DiffusionRequest.Mode;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.runtime.LoadedModel;
import dev.imajin.inference.scheduler.Scheduler;
import dev.imajin.inference.scheduler.SchedulerConfig;
import dev.imajin.inference.scheduler.SchedulerKind;
import dev.imajin.inference.text.ClipTokenizer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stable Diffusion on ONNX Runtime sessions: text encoding, the denoising loop with a scheduler,
 * and VAE decoding, for the SD1.x/2.x and SDXL layouts, Turbo and LCM, as MODELS.md §1.5 describes.
 * Every input name, element type and rank is read from the sessions (MODELS.md rule 0), so the
 * exports of the diffusers script, Optimum (1.6 to 1.24 and later) and Olive all run.
 *
 * <p>The images of a request are denoised together, one UNet call per step of batch B (2B with
 * guidance, [negative; positive]); each image draws all its noise (initial latents, the VAE
 * posterior, ancestral and LCM noise) from its own stream {@code GaussianNoise(seed + i)}, and is
 * decoded alone. Inpainting with an ordinary UNet blends the latents outside the mask back to the
 * image's after every step, as diffusers does, and, as image UIs do, pastes the original pixels
 * back outside the feathered mask after decoding, so the VAE round trip leaves no trace there; a
 * 9-channel inpainting UNet gets the mask and the masked image's latents as extra channels.
 * Previews are linear projections (a fixed 4x3 matrix per latent space) of the predicted clean
 * latents, at latent resolution.
 *
 * <p>Blocking: callers run {@link #generate} on the model's device pool ({@code ModelHost.run}).
 * Thread-safe: a generation keeps its state to itself, so several may share a pipeline.
 * Reproducible: the same request gives the same images, bit for bit, on the CPU provider.
 */
public final class DiffusionPipeline {
  /** The component names the pipeline reads from its {@link LoadedModel}. */
  public static final String TEXT_ENCODER = "text_encoder";

  public static final String TEXT_ENCODER_2 = "text_encoder_2";
  public static final String UNET = "unet";
  public static final String VAE_ENCODER = "vae_encoder";
  public static final String VAE_DECODER = "vae_decoder";

  private final LoadedModel model;
  private final DiffusionLayout layout;
  private final UnetIo unet;
  private final Prompts prompts;
  private final Vae vae;
  private final DiffusionDefaults defaults;
  private final UnetWatch watch;

  /**
   * @param tokenizer2 SDXL's second tokenizer, or null
   * @throws ImajinException 422 when the sessions are not those of a Stable Diffusion export imajin
   *     runs (the message names the part)
   */
  public DiffusionPipeline(
      LoadedModel model,
      DiffusionLayout layout,
      ClipTokenizer tokenizer,
      ClipTokenizer tokenizer2) {
    this(model, layout, tokenizer, tokenizer2, UnetWatch.NONE);
  }

  // VisibleForTesting
  DiffusionPipeline(
      LoadedModel model,
      DiffusionLayout layout,
      ClipTokenizer tokenizer,
      ClipTokenizer tokenizer2,
      UnetWatch watch) {
    this.model = model;
    this.layout = layout;
    this.watch = watch;
    this.unet =
        checked(model, layout.unet(), () -> UnetIo.of(model.session(UNET), layout.config(UNET)));
    this.prompts =
        checked(
            model,
            layout.textEncoder(),
            () -> prompts(model, layout, tokenizer, tokenizer2, unet.xl()));
    this.vae =
        checked(
            model,
            layout.vaeDecoder(),
            () ->
                Vae.of(
                    model.session(VAE_DECODER),
                    model.has(VAE_ENCODER) ? model.session(VAE_ENCODER) : null,
                    layout));
    this.defaults = DiffusionDefaults.of(model.entry().family(), layout, modes(unet, vae));
  }

  /** What a session check throws, as a 422 naming the model and the file it is about. */
  private static <T> T checked(LoadedModel model, java.nio.file.Path file, SessionCheck<T> check) {
    try {
      return check.get();
    } catch (OrtException | IllegalArgumentException e) {
      throw ImajinException.unprocessable(
          "model " + model.id() + ": " + file + ": " + e.getMessage());
    }
  }

  @FunctionalInterface
  private interface SessionCheck<T> {
    T get() throws OrtException;
  }

  private static Prompts prompts(
      LoadedModel model,
      DiffusionLayout layout,
      ClipTokenizer tokenizer,
      ClipTokenizer tokenizer2,
      boolean xl)
      throws OrtException {
    if (xl != layout.xl() || (xl && tokenizer2 == null)) {
      throw new IllegalArgumentException(
          xl
              ? "its UNet takes SDXL's text_embeds and time_ids, which need text_encoder_2 and"
                  + " tokenizer_2"
              : "it has text_encoder_2 but its UNet takes no text_embeds and time_ids");
    }
    TextEncoder first =
        TextEncoder.of(TEXT_ENCODER, model.session(TEXT_ENCODER), tokenizer, xl, false);
    TextEncoder second =
        xl
            ? TextEncoder.of(TEXT_ENCODER_2, model.session(TEXT_ENCODER_2), tokenizer2, true, true)
            : null;
    return new Prompts(first, second, layout.forceZerosForEmptyPrompt());
  }

  private static Set<Mode> modes(UnetIo unet, Vae vae) {
    Set<Mode> modes = EnumSet.noneOf(Mode.class);
    if (!unet.inpainting()) {
      modes.add(Mode.TXT2IMG);
    }
    if (vae.canEncode()) {
      modes.add(Mode.INPAINT);
      if (!unet.inpainting()) {
        modes.add(Mode.IMG2IMG);
      }
    }
    return modes;
  }

  /**
   * The ONNX files to load for a layout ({@code ModelHost.load}), under the component names the
   * pipeline reads: the text encoder(s), the UNet, the VAE decoder and, when there is one, the VAE
   * encoder.
   */
  public static Map<String, Path> components(DiffusionLayout layout) {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put(TEXT_ENCODER, layout.textEncoder());
    layout.textEncoder2().ifPresent(p -> files.put(TEXT_ENCODER_2, p));
    files.put(UNET, layout.unet());
    layout.vaeEncoder().ifPresent(p -> files.put(VAE_ENCODER, p));
    files.put(VAE_DECODER, layout.vaeDecoder());
    return files;
  }

  /** The model's native size, default steps, guidance and scheduler, and the modes it runs. */
  public DiffusionDefaults defaults() {
    return defaults;
  }

  /**
   * Generates the request's images, reporting each step; throws when cancelled.
   *
   * @param progress gets, after every step, one event per image; may be null
   * @param cancellation checked before every step and before decoding; may be null
   * @throws ImajinException 422 when the request does not fit the model (size, mode, strength ×
   *     steps below one step, ...), 500 when ONNX Runtime fails
   * @throws java.util.concurrent.CancellationException when cancelled
   */
  public GeneratedImages generate(
      DiffusionRequest request, Consumer<StepEvent> progress, Cancellation cancellation) {
    long started = System.nanoTime();
    RequestCheck.check(request, defaults, unet, model.id());
    SchedulerKind kind = request.scheduler() != null ? request.scheduler() : defaults.scheduler();
    BatchNoise noise = new BatchNoise(request.seed(), request.count());
    Scheduler scheduler = scheduler(request, kind, noise);
    Generation generation =
        new Generation(
            OrtEnvironment.getEnvironment(),
            this,
            request,
            scheduler,
            noise,
            progress == null ? event -> {} : progress,
            cancellation == null ? new Cancellation() : cancellation,
            started);
    try {
      return generation.run();
    } catch (OrtException e) {
      throw ImajinException.internal(
          "model " + model.id() + ": ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  private Scheduler scheduler(DiffusionRequest request, SchedulerKind kind, BatchNoise noise) {
    double strength = request.mode() == Mode.TXT2IMG ? 1.0 : request.strength();
    try {
      SchedulerConfig config = SchedulerConfig.from(layout.schedulerConfig(), kind);
      return Scheduler.create(config, kind, request.steps(), strength, noise);
    } catch (IllegalArgumentException e) {
      throw RequestCheck.refuse(
          "model " + model.id() + ", scheduler " + kind + ": " + e.getMessage());
    }
  }

  OrtSession unetSession() {
    return model.session(UNET);
  }

  UnetIo unet() {
    return unet;
  }

  Prompts prompts() {
    return prompts;
  }

  Vae vae() {
    return vae;
  }

  UnetWatch watch() {
    return watch;
  }

  DiffusionLayout layout() {
    return layout;
  }
}
