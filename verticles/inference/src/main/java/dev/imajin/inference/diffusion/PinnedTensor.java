package dev.imajin.inference.diffusion;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.imajin.inference.onnx.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * A float32 or float16 tensor over a direct buffer that this object owns, so that a denoising loop
 * feeds the same tensor every step (and has ONNX Runtime write an output into it) without a copy or
 * an allocation per step. Values go in and out as floats; float16 is converted on the way.
 */
final class PinnedTensor implements AutoCloseable {
  private final FloatBuffer floats;
  private final ShortBuffer halves;
  private final OnnxTensor tensor;
  private float[] scratch = new float[0];

  private PinnedTensor(FloatBuffer floats, ShortBuffer halves, OnnxTensor tensor) {
    this.floats = floats;
    this.halves = halves;
    this.tensor = tensor;
  }

  /**
   * @param type the declared element type: FLOAT or FLOAT16
   * @param what names the input or output in the message when the type is neither
   */
  static PinnedTensor allocate(OrtEnvironment env, OnnxJavaType type, long[] shape, String what)
      throws OrtException {
    long elements = 1;
    for (long d : shape) {
      elements *= d;
    }
    int n = Math.toIntExact(elements);
    return switch (type) {
      case FLOAT -> {
        FloatBuffer buffer = direct(n * Float.BYTES).asFloatBuffer();
        yield new PinnedTensor(buffer, null, OnnxTensor.createTensor(env, buffer, shape));
      }
      case FLOAT16 -> {
        ShortBuffer buffer = direct(n * Short.BYTES).asShortBuffer();
        yield new PinnedTensor(
            null, buffer, OnnxTensor.createTensor(env, buffer, shape, OnnxJavaType.FLOAT16));
      }
      default ->
          throw new IllegalArgumentException(
              what + " is declared as " + type + "; imajin runs float32 and float16 models");
    };
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  OnnxTensor tensor() {
    return tensor;
  }

  /** Writes {@code src[from, from + length)} divided by {@code divisor} at {@code at}. */
  void write(int at, float[] src, int from, int length, float divisor) {
    if (floats != null) {
      if (divisor == 1f) {
        floats.put(at, src, from, length);
      } else {
        if (scratch.length < length) {
          scratch = new float[length];
        }
        for (int i = 0; i < length; i++) {
          scratch[i] = src[from + i] / divisor;
        }
        floats.put(at, scratch, 0, length);
      }
    } else {
      for (int i = 0; i < length; i++) {
        halves.put(at + i, Float16.fromFloat(src[from + i] / divisor));
      }
    }
  }

  /** Reads {@code length} values from {@code at} into {@code dst[to, to + length)}. */
  void read(int at, float[] dst, int to, int length) {
    if (floats != null) {
      floats.get(at, dst, to, length);
    } else {
      for (int i = 0; i < length; i++) {
        dst[to + i] = Float16.toFloat(halves.get(at + i));
      }
    }
  }

  @Override
  public void close() {
    tensor.close();
  }
}
