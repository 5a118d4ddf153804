package dev.imajin.inference.diffusion;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.imajin.inference.diffusion.DiffusionRequest.Mode;
import dev.imajin.inference.scheduler.Scheduler;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** One run of {@link DiffusionPipeline#generate}: its latents, scheduler, noise and clocks. */
final class Generation {
  private final OrtEnvironment env;
  private final DiffusionPipeline pipeline;
  private final DiffusionRequest request;
  private final Scheduler scheduler;
  private final BatchNoise noise;
  private final Consumer<StepEvent> progress;
  private final Cancellation cancellation;
  private final long started;
  private final int images;
  private final int latentWidth;
  private final int latentHeight;
  private final int each;
  private final boolean guided;
  private BufferedImage original;
  private float[] pixelMask;

  Generation(
      OrtEnvironment env,
      DiffusionPipeline pipeline,
      DiffusionRequest request,
      Scheduler scheduler,
      BatchNoise noise,
      Consumer<StepEvent> progress,
      Cancellation cancellation,
      long started) {
    this.env = env;
    this.pipeline = pipeline;
    this.request = request;
    this.scheduler = scheduler;
    this.noise = noise;
    this.progress = progress;
    this.cancellation = cancellation;
    this.started = started;
    this.images = request.count();
    this.latentWidth = request.width() / Vae.FACTOR;
    this.latentHeight = request.height() / Vae.FACTOR;
    this.each = UnetIo.LATENT_CHANNELS * latentWidth * latentHeight;
    this.guided = !pipeline.unet().lcm() && request.guidance() > 1;
  }

  GeneratedImages run() throws OrtException {
    cancellation.check();
    UnetIo io = pipeline.unet();
    Prompts.Embeddings text =
        pipeline.prompts().encode(env, request.prompt(), request.negativePrompt(), guided);
    try (Conditioning conditioning = Conditioning.of(env, io, text, request, timeCondDim());
        UnetRunner unet =
            UnetRunner.open(
                env,
                pipeline.unetSession(),
                io,
                conditioning,
                pipeline.watch(),
                images,
                guided,
                latentHeight,
                latentWidth)) {
      float[] x = new float[images * each];
      LatentBlend blend = prepare(x, unet);
      long encoded = System.nanoTime();
      denoise(x, unet, blend);
      long denoised = System.nanoTime();
      cancellation.check();
      List<BufferedImage> out = decode(x);
      long done = System.nanoTime();
      List<Long> seeds = new ArrayList<>();
      for (int i = 0; i < images; i++) {
        seeds.add(request.seed() + i);
      }
      GeneratedImages.Timings timings =
          new GeneratedImages.Timings(
              ms(encoded - started),
              ms(denoised - encoded),
              ms(unet.nanos()),
              ms(done - denoised),
              ms(done - started));
      return new GeneratedImages(out, seeds, scheduler.kind(), timings);
    }
  }

  private int timeCondDim() {
    if (!pipeline.unet().lcm()) {
      return 0;
    }
    long declared = UnetIo.lastDim(pipeline.unet().timestepCond());
    if (declared > 0) {
      return (int) declared;
    }
    return pipeline
        .layout()
        .timeCondProjDim()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the UNet's timestep_cond has no declared size and unet/config.json no"
                        + " time_cond_proj_dim"));
  }

  /**
   * The starting latents: noise × init_noise_sigma for text-to-image; otherwise the image's latents
   * noised to the first step (pure noise for inpainting at strength 1, as diffusers does). Returns
   * the per-step blend of a 4-channel inpainting run, else null.
   */
  private LatentBlend prepare(float[] x, UnetRunner unet) throws OrtException {
    if (request.mode() == Mode.TXT2IMG) {
      noise.fill(x);
      scale(x, scheduler.initNoiseSigma());
      return null;
    }
    original = Pixels.resized(request.image(), request.width(), request.height());
    float[] pixels = Pixels.toPlanes(original);
    Vae vae = pipeline.vae();
    float[] latents = vae.encode(env, pixels, request.width(), request.height(), images, noise);
    float[] fresh = new float[x.length];
    noise.fill(fresh);
    boolean inpaint = request.mode() == Mode.INPAINT;
    if (inpaint && request.strength() >= 1f) {
      System.arraycopy(fresh, 0, x, 0, x.length);
      scale(x, scheduler.initNoiseSigma());
    } else {
      System.arraycopy(latents, 0, x, 0, x.length);
      scheduler.addNoise(x, fresh, scheduler.startIndex());
    }
    if (!inpaint) {
      return null;
    }
    pixelMask = Pixels.mask(request.mask(), request.width(), request.height(), request.maskBlur());
    float[] latentMask =
        Pixels.downsample(pixelMask, request.width(), request.height(), Vae.FACTOR);
    if (pipeline.unet().inpainting()) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < pixelMask.length; i++) {
          if (pixelMask[i] >= 0.5f) {
            pixels[c * pixelMask.length + i] = 0f;
          }
        }
      }
      float[] masked = vae.encode(env, pixels, request.width(), request.height(), images, null);
      unet.setInpaintChannels(latentMask, masked);
      return null;
    }
    return new LatentBlend(latents, fresh, latentMask);
  }

  private void denoise(float[] x, UnetRunner unet, LatentBlend blend) throws OrtException {
    float[] timesteps = scheduler.timesteps();
    int start = scheduler.startIndex();
    int total = timesteps.length - start;
    LatentPreview preview = LatentPreview.of(pipeline.unet().xl());
    for (int i = start; i < timesteps.length; i++) {
      cancellation.check();
      float[] prediction =
          unet.predict(x, scheduler.modelInputDivisor(i), timesteps[i], request.guidance());
      scheduler.step(prediction, i, x);
      if (blend != null) {
        blend.apply(scheduler, x, i, timesteps.length);
      }
      int step = i - start + 1;
      boolean withPreview = request.previewEvery() > 0 && step % request.previewEvery() == 0;
      long elapsed = (System.nanoTime() - started) / 1_000_000;
      for (int b = 0; b < images; b++) {
        BufferedImage small =
            withPreview
                ? preview.render(scheduler.denoised(), b * each, latentWidth, latentHeight)
                : null;
        progress.accept(
            new StepEvent(b, step, total, timesteps[i], scheduler.sigma(i), elapsed, small));
      }
    }
  }

  /**
   * Each image's latents through the VAE decoder, one at a time; inpainting pastes the original
   * back outside the mask. LCM's last step leaves x equal to its {@code denoised}, which is what
   * the LCM pipeline decodes.
   */
  private List<BufferedImage> decode(float[] x) throws OrtException {
    List<BufferedImage> out = new ArrayList<>(images);
    for (int b = 0; b < images; b++) {
      BufferedImage image =
          pipeline.vae().decode(env, x, b * each, request.width(), request.height());
      out.add(pixelMask == null ? image : Pixels.composite(image, original, pixelMask));
    }
    return out;
  }

  private static void scale(float[] x, float factor) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= factor;
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
