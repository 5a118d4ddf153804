package dev.imajin.inference.diffusion;

import dev.imajin.inference.diffusion.DiffusionRequest.Mode;
import dev.imajin.inference.scheduler.SchedulerKind;
import java.awt.image.BufferedImage;

/** Requests for tests: a small text-to-image request, changed field by field. */
final class RequestBuilder {
  private Mode mode = Mode.TXT2IMG;
  private String prompt = "a red circle on blue background";
  private String negative;
  private int width = 64;
  private int height = 64;
  private int steps = 4;
  private float guidance = 7.5f;
  private SchedulerKind scheduler;
  private long seed = 42;
  private int count = 1;
  private int previewEvery;
  private BufferedImage image;
  private float strength = 1f;
  private BufferedImage mask;
  private int maskBlur;

  static RequestBuilder txt2img() {
    return new RequestBuilder();
  }

  RequestBuilder prompt(String text) {
    prompt = text;
    return this;
  }

  RequestBuilder negative(String text) {
    negative = text;
    return this;
  }

  RequestBuilder size(int w, int h) {
    width = w;
    height = h;
    return this;
  }

  RequestBuilder steps(int n) {
    steps = n;
    return this;
  }

  RequestBuilder guidance(float g) {
    guidance = g;
    return this;
  }

  RequestBuilder scheduler(SchedulerKind kind) {
    scheduler = kind;
    return this;
  }

  RequestBuilder seed(long s) {
    seed = s;
    return this;
  }

  RequestBuilder count(int n) {
    count = n;
    return this;
  }

  RequestBuilder previewEvery(int k) {
    previewEvery = k;
    return this;
  }

  RequestBuilder img2img(BufferedImage start, float s) {
    mode = Mode.IMG2IMG;
    image = start;
    strength = s;
    return this;
  }

  RequestBuilder inpaint(BufferedImage start, BufferedImage m, float s, int blur) {
    mode = Mode.INPAINT;
    image = start;
    mask = m;
    strength = s;
    maskBlur = blur;
    return this;
  }

  RequestBuilder mode(Mode m) {
    mode = m;
    return this;
  }

  DiffusionRequest build() {
    return new DiffusionRequest(
        mode,
        prompt,
        negative,
        width,
        height,
        steps,
        guidance,
        scheduler,
        seed,
        count,
        previewEvery,
        image,
        strength,
        mask,
        maskBlur);
  }
}
