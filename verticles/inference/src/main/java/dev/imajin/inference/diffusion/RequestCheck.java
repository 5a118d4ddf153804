package dev.imajin.inference.diffusion;

import static dev.imajin.inference.diffusion.DiffusionDefaults.MAX_SIZE;
import static dev.imajin.inference.diffusion.DiffusionDefaults.MIN_SIZE;
import static dev.imajin.inference.diffusion.DiffusionDefaults.SIZE_MULTIPLE;

import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.diffusion.DiffusionRequest.Mode;
import dev.imajin.inference.onnx.Tensors;

/** A request checked against what the model can do; every refusal is a 422 saying why. */
final class RequestCheck {
  private RequestCheck() {}

  static void check(DiffusionRequest r, DiffusionDefaults defaults, UnetIo unet, String model) {
    if (r.mode() == null || r.prompt() == null) {
      throw refuse("mode and prompt are required");
    }
    size("width", r.width());
    size("height", r.height());
    if (r.steps() < 1) {
      throw refuse("steps must be at least 1, was " + r.steps());
    }
    if (r.count() < 1) {
      throw refuse("count must be at least 1, was " + r.count());
    }
    if (!(r.guidance() >= 0 && Float.isFinite(r.guidance()))) {
      throw refuse("guidance must be a finite number of at least 0, was " + r.guidance());
    }
    if (r.previewEvery() < 0 || r.maskBlur() < 0) {
      throw refuse("previewEvery and maskBlur cannot be negative");
    }
    if (!defaults.modes().contains(r.mode())) {
      throw refuse(
          "model "
              + model
              + " cannot do "
              + r.mode().name().toLowerCase()
              + (unet.inpainting()
                  ? " (its UNet is an inpainting one)"
                  : " (it has no VAE encoder)")
              + "; it can do "
              + defaults.modes());
    }
    if (r.mode() != Mode.TXT2IMG) {
      if (r.image() == null) {
        throw refuse(r.mode().name().toLowerCase() + " needs an image");
      }
      if (!(r.strength() > 0 && r.strength() <= 1)) {
        throw refuse("strength must lie in (0, 1], was " + r.strength());
      }
    }
    if (r.mode() == Mode.INPAINT && r.mask() == null) {
      throw refuse("inpaint needs a mask");
    }
    fixedShape(r, unet, model);
  }

  private static void size(String what, int pixels) {
    if (pixels % SIZE_MULTIPLE != 0 || pixels < MIN_SIZE || pixels > MAX_SIZE) {
      throw refuse(
          what
              + " must be a multiple of "
              + SIZE_MULTIPLE
              + " from "
              + MIN_SIZE
              + " to "
              + MAX_SIZE
              + ", was "
              + pixels);
    }
  }

  /** Exports with a fixed batch or latent size take only that. */
  private static void fixedShape(DiffusionRequest r, UnetIo unet, String model) {
    long[] declared = Tensors.info(unet.sample()).getShape();
    long h = declared[2];
    long w = declared[3];
    if ((h > 0 && h * Vae.FACTOR != r.height()) || (w > 0 && w * Vae.FACTOR != r.width())) {
      throw refuse(
          "model " + model + " is exported for " + w * Vae.FACTOR + "x" + h * Vae.FACTOR + " only");
    }
    boolean guided = !unet.lcm() && r.guidance() > 1;
    long rows = (long) r.count() * (guided ? 2 : 1);
    if (declared[0] > 0 && declared[0] != rows) {
      throw refuse(
          "model "
              + model
              + " is exported for a UNet batch of "
              + declared[0]
              + " (images × 2 with guidance above 1), this request needs "
              + rows);
    }
  }

  static ImajinException refuse(String why) {
    return ImajinException.unprocessable(why);
  }
}
