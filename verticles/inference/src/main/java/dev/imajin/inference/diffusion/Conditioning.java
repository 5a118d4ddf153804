package dev.imajin.inference.diffusion;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.imajin.inference.onnx.Tensors;
import dev.imajin.inference.scheduler.LcmGuidance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UNet inputs that stay the same at every step: the prompt embeddings and, for SDXL, the pooled
 * embeddings and {@code time_ids}, for LCM the guidance embedding. With classifier-free guidance
 * the batch is [negative × B; positive × B] (MODELS.md §1.5), else positive × B.
 */
final class Conditioning implements AutoCloseable {
  /** SDXL refiner {@code time_ids} end in an aesthetic score: diffusers' defaults. */
  private static final float AESTHETIC = 6.0f;

  private static final float NEGATIVE_AESTHETIC = 2.5f;

  private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

  private Conditioning() {}

  /**
   * @param text the prompt embeddings; {@code negative} set exactly when guiding
   * @param request its count (B), size ({@code time_ids}) and guidance (LCM's embedding)
   * @param timeCondDim the size of LCM's {@code timestep_cond}; unused otherwise
   */
  static Conditioning of(
      OrtEnvironment env,
      UnetIo io,
      Prompts.Embeddings text,
      DiffusionRequest request,
      int timeCondDim)
      throws OrtException {
    int images = request.count();
    Conditioning c = new Conditioning();
    try {
      boolean cfg = text.negative() != null;
      int rows = cfg ? 2 * images : images;
      c.put(
          env,
          io.hiddenStates(),
          rowsOf(text.negative(), text.positive(), images, rows),
          rows,
          text.sequence(),
          text.width());
      if (io.xl()) {
        int pooled = text.pooled().length;
        c.put(
            env,
            io.textEmbeds(),
            rowsOf(text.negativePooled(), text.pooled(), images, rows),
            rows,
            pooled);
        long declared = UnetIo.lastDim(io.timeIds());
        int count = declared > 0 ? (int) declared : 6;
        c.put(
            env,
            io.timeIds(),
            timeIds(count, request.width(), request.height(), images, rows),
            rows,
            count);
      }
      if (io.lcm()) {
        float[] one = LcmGuidance.guidanceEmbedding(request.guidance(), timeCondDim);
        c.put(env, io.timestepCond(), rowsOf(null, one, images, rows), rows, timeCondDim);
      }
      return c;
    } catch (OrtException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  Map<String, OnnxTensor> tensors() {
    return tensors;
  }

  private void put(OrtEnvironment env, NodeInfo input, float[] values, long... shape)
      throws OrtException {
    tensors.put(input.getName(), Tensors.of(env, input, values, shape));
  }

  /**
   * {@code rows} copies: the first {@code images} of {@code negative} when given, then positive.
   */
  private static float[] rowsOf(float[] negative, float[] positive, int images, int rows) {
    int each = positive.length;
    float[] all = new float[rows * each];
    for (int r = 0; r < rows; r++) {
      float[] source = negative != null && r < images ? negative : positive;
      System.arraycopy(source, 0, all, r * each, each);
    }
    return all;
  }

  /**
   * [H, W, 0, 0, H, W] per row (height first); a refiner's five values end in the aesthetic score,
   * lower on negative rows.
   */
  private static float[] timeIds(int count, int width, int height, int images, int rows) {
    if (count != 5 && count != 6) {
      throw new IllegalArgumentException(
          "the UNet's time_ids hold " + count + " values; SDXL has 6 (5 for the refiner)");
    }
    float[] all = new float[rows * count];
    boolean cfg = rows > images;
    for (int r = 0; r < rows; r++) {
      float[] row =
          count == 6
              ? new float[] {height, width, 0, 0, height, width}
              : new float[] {
                height, width, 0, 0, cfg && r < images ? NEGATIVE_AESTHETIC : AESTHETIC
              };
      System.arraycopy(row, 0, all, r * count, count);
    }
    return all;
  }

  @Override
  public void close() {
    tensors.values().forEach(OnnxTensor::close);
    tensors.clear();
  }
}
