package dev.imajin.diffusion.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.Scheduler;
import dev.imajin.contracts.common.Size;
import dev.imajin.contracts.diffusion.GenerateRequest;
import dev.imajin.contracts.diffusion.GenerationJobRequest;
import dev.imajin.contracts.diffusion.GenerationMode;
import dev.imajin.contracts.diffusion.ImageFormat;
import dev.imajin.contracts.diffusion.Img2ImgRequest;
import dev.imajin.contracts.diffusion.InpaintRequest;
import dev.imajin.inference.diffusion.DiffusionRequest;
import dev.imajin.inference.scheduler.SchedulerKind;
import dev.imajin.runtime.config.ImajinConfig;
import dev.imajin.runtime.images.ImageCodec;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.awt.image.BufferedImage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Turns requests into plans: the model resolved, every absent value taken from the model's
 * defaults, every value checked against the model's limits (422 naming the limit), input images
 * decoded (on the {@code io} pool, never on an event loop). A plan is ready to run; nothing about
 * it is guessed later.
 */
final class Plans {
  private final Catalog catalog;
  private final WorkerExecutor io;
  private final ImajinConfig.Diffusion config;

  /**
   * A generation ready to run.
   *
   * @param strength for img2img and inpaint, else null
   * @param progressId where to publish step events, or null
   */
  record Plan(
      GenerationMode mode,
      Catalog.Model model,
      DiffusionRequest request,
      Scheduler scheduler,
      double guidance,
      Double strength,
      ImageFormat format,
      String progressId) {}

  /** The knobs every mode shares, as the request gave them. */
  private record Knobs(
      String prompt,
      String negativePrompt,
      Integer steps,
      Double guidance,
      Scheduler scheduler,
      Long seed,
      Integer n,
      Integer previewEvery,
      ImageFormat format,
      String progressId) {}

  Plans(Catalog catalog, WorkerExecutor io, ImajinConfig.Diffusion config) {
    this.catalog = catalog;
    this.io = io;
    this.config = config;
  }

  Future<Plan> job(GenerationJobRequest r) {
    if (r.generate() != null && r.img2img() == null && r.inpaint() == null) {
      return txt2img(r.generate());
    }
    if (r.img2img() != null && r.generate() == null && r.inpaint() == null) {
      return img2img(r.img2img());
    }
    if (r.inpaint() != null && r.generate() == null && r.img2img() == null) {
      return inpaint(r.inpaint());
    }
    return Future.failedFuture(
        ImajinException.badRequest("a job needs exactly one of generate, img2img and inpaint"));
  }

  Future<Plan> txt2img(GenerateRequest r) {
    Knobs k =
        new Knobs(
            r.prompt(),
            r.negativePrompt(),
            r.steps(),
            r.guidance(),
            r.scheduler(),
            r.seed(),
            r.n(),
            r.previewEvery(),
            r.outputFormat(),
            r.progressId());
    return catalog
        .resolve(r.model())
        .compose(m -> capable(m, GenerationMode.TXT2IMG))
        .map(
            m -> {
              Size size = m.profile().nativeSize();
              return plan(
                  GenerationMode.TXT2IMG,
                  m,
                  k,
                  or(r.width(), size.width()),
                  or(r.height(), size.height()),
                  null,
                  null,
                  null,
                  0);
            });
  }

  Future<Plan> img2img(Img2ImgRequest r) {
    Knobs k =
        new Knobs(
            r.prompt(),
            r.negativePrompt(),
            r.steps(),
            r.guidance(),
            r.scheduler(),
            r.seed(),
            r.n(),
            r.previewEvery(),
            r.outputFormat(),
            r.progressId());
    double strength = or(r.strength(), Img2ImgRequest.DEFAULT_STRENGTH);
    return catalog
        .resolve(r.model())
        .compose(m -> capable(m, GenerationMode.IMG2IMG))
        .compose(
            m ->
                decode(r.image(), "image")
                    .map(
                        image ->
                            plan(
                                GenerationMode.IMG2IMG,
                                m,
                                k,
                                or(r.width(), rounded(m, image.getWidth())),
                                or(r.height(), rounded(m, image.getHeight())),
                                image,
                                null,
                                strength,
                                0)));
  }

  Future<Plan> inpaint(InpaintRequest r) {
    Knobs k =
        new Knobs(
            r.prompt(),
            r.negativePrompt(),
            r.steps(),
            r.guidance(),
            r.scheduler(),
            r.seed(),
            r.n(),
            r.previewEvery(),
            r.outputFormat(),
            r.progressId());
    double strength = or(r.strength(), InpaintRequest.DEFAULT_STRENGTH);
    int blur = or(r.maskBlur(), InpaintRequest.DEFAULT_MASK_BLUR);
    return catalog
        .resolve(r.model())
        .compose(m -> capable(m, GenerationMode.INPAINT))
        .compose(
            m ->
                decode(r.image(), "image")
                    .compose(image -> decode(r.mask(), "mask").map(mask -> pair(image, mask)))
                    .map(
                        both ->
                            plan(
                                GenerationMode.INPAINT,
                                m,
                                k,
                                rounded(m, both[0].getWidth()),
                                rounded(m, both[0].getHeight()),
                                both[0],
                                both[1],
                                strength,
                                blur)));
  }

  private static BufferedImage[] pair(BufferedImage image, BufferedImage mask) {
    if (image.getWidth() != mask.getWidth() || image.getHeight() != mask.getHeight()) {
      throw ImajinException.unprocessable(
          "mask is "
              + mask.getWidth()
              + "x"
              + mask.getHeight()
              + " but image is "
              + image.getWidth()
              + "x"
              + image.getHeight()
              + "; the mask must have the image's size");
    }
    return new BufferedImage[] {image, mask};
  }

  private Future<BufferedImage> decode(ImageData data, String field) {
    return io.executeBlocking(() -> Images.decode(data, field, config.maxInputPixels()), false);
  }

  private static Future<Catalog.Model> capable(Catalog.Model m, GenerationMode mode) {
    if (!m.profile().can(mode)) {
      return Future.failedFuture(
          ImajinException.unprocessable(
              "model '"
                  + m.id()
                  + "' cannot do "
                  + mode.name().toLowerCase()
                  + (mode == GenerationMode.TXT2IMG
                      ? " (its UNet is an inpainting one)"
                      : " (it has no vae_encoder)")
                  + "; its capabilities: "
                  + m.profile().capabilities().stream()
                      .map(c -> c.name().toLowerCase())
                      .collect(Collectors.joining(", "))));
    }
    return Future.succeededFuture(m);
  }

  /** A side of the input, rounded down to the model's size multiple. */
  private static int rounded(Catalog.Model m, int side) {
    int multiple = m.profile().sizeMultiple();
    return side / multiple * multiple;
  }

  private Plan plan(
      GenerationMode mode,
      Catalog.Model m,
      Knobs k,
      int width,
      int height,
      BufferedImage image,
      BufferedImage mask,
      Double strength,
      int blur) {
    ModelProfile p = m.profile();
    ImageFormat format = or(k.format(), ImageFormat.PNG);
    if (format == ImageFormat.WEBP) {
      throw ImageCodec.webpOutputNotBuilt();
    }
    int n = or(k.n(), GenerateRequest.DEFAULT_N);
    if (n > config.maxImagesPerRequest()) {
      throw ImajinException.unprocessable(
          "n "
              + n
              + " is over the limit of "
              + config.maxImagesPerRequest()
              + " images per request (diffusion.max-images-per-request)");
    }
    checkSide(m, "width", width, p.maxSize().width());
    checkSide(m, "height", height, p.maxSize().height());
    Scheduler scheduler = or(k.scheduler(), p.defaultScheduler());
    if (!p.schedulers().contains(scheduler)) {
      throw ImajinException.unprocessable(
          "model '"
              + m.id()
              + "' does not run scheduler "
              + wire(scheduler)
              + "; its schedulers: "
              + p.schedulers().stream().map(Plans::wire).collect(Collectors.joining(", ")));
    }
    int steps = or(k.steps(), p.defaultSteps());
    double guidance = or(k.guidance(), p.defaultGuidance());
    if (strength != null && scheduler != Scheduler.LCM && Math.floor(steps * strength) < 1) {
      throw ImajinException.unprocessable(
          "steps x strength must leave at least one step to run, was " + steps + " x " + strength);
    }
    long seed = k.seed() != null ? k.seed() : ThreadLocalRandom.current().nextLong(1L << 32);
    DiffusionRequest request =
        new DiffusionRequest(
            switch (mode) {
              case TXT2IMG -> DiffusionRequest.Mode.TXT2IMG;
              case IMG2IMG -> DiffusionRequest.Mode.IMG2IMG;
              case INPAINT -> DiffusionRequest.Mode.INPAINT;
            },
            k.prompt(),
            k.negativePrompt(),
            width,
            height,
            steps,
            (float) guidance,
            SchedulerKind.of(scheduler),
            seed,
            n,
            or(k.previewEvery(), 0),
            image,
            strength == null ? 1f : (float) (double) strength,
            mask,
            blur);
    return new Plan(mode, m, request, scheduler, guidance, strength, format, k.progressId());
  }

  private static void checkSide(Catalog.Model m, String name, int value, int max) {
    ModelProfile p = m.profile();
    String limit =
        value < ModelProfile.MIN_SIDE
            ? "under the minimum of " + ModelProfile.MIN_SIDE
            : value > max
                ? "over model '"
                    + m.id()
                    + "''s max_size "
                    + p.maxSize().width()
                    + "x"
                    + p.maxSize().height()
                : value % p.sizeMultiple() != 0
                    ? "not a multiple of model '" + m.id() + "''s size_multiple " + p.sizeMultiple()
                    : null;
    if (limit != null) {
      throw ImajinException.unprocessable(name + " " + value + " is " + limit);
    }
  }

  static String wire(Scheduler s) {
    return switch (s) {
      case EULER -> "euler";
      case EULER_A -> "euler_a";
      case DDIM -> "ddim";
      case DPMPP_2M -> "dpmpp_2m";
      case LCM -> "lcm";
    };
  }

  private static <T> T or(T value, T otherwise) {
    return value != null ? value : otherwise;
  }
}
