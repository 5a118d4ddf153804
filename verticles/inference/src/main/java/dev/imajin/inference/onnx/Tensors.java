package dev.imajin.inference.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * Tensors made to what a session declares (MODELS.md, rule 0): the caller says what it has, a float
 * or integer array and a shape, and the input's declared element type decides what is sent. Floats
 * become float16, float32 or float64; integers int32 or int64; a float sent to an integer input is
 * truncated toward zero, as the reference pipelines do with fractional timesteps. Outputs are read
 * back as float arrays whatever their element type.
 */
public final class Tensors {
  private Tensors() {}

  /** The declared tensor type of a session input or output. */
  public static TensorInfo info(NodeInfo node) {
    if (node.getInfo() instanceof TensorInfo tensor) {
      return tensor;
    }
    throw new IllegalArgumentException(
        node.getName() + " is not a tensor (" + node.getInfo() + ")");
  }

  /** A tensor of the input's declared type holding these values with this shape. */
  public static OnnxTensor of(OrtEnvironment env, NodeInfo input, float[] values, long[] shape)
      throws OrtException {
    checkSize(input, values.length, shape);
    OnnxJavaType type = info(input).type;
    return switch (type) {
      case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
      case FLOAT16 -> {
        ShortBuffer halves = ShortBuffer.allocate(values.length);
        for (float v : values) {
          halves.put(Float16.fromFloat(v));
        }
        halves.flip();
        yield OnnxTensor.createTensor(env, halves, shape, OnnxJavaType.FLOAT16);
      }
      case DOUBLE -> {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
          wide[i] = values[i];
        }
        yield OnnxTensor.createTensor(env, DoubleBuffer.wrap(wide), shape);
      }
      case INT64 -> {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
          longs[i] = (long) values[i];
        }
        yield OnnxTensor.createTensor(env, LongBuffer.wrap(longs), shape);
      }
      case INT32 -> {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
          ints[i] = (int) values[i];
        }
        yield OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape);
      }
      default -> throw unsupported(input, type);
    };
  }

  /** A tensor of the input's declared type holding these integers with this shape. */
  public static OnnxTensor of(OrtEnvironment env, NodeInfo input, long[] values, long[] shape)
      throws OrtException {
    checkSize(input, values.length, shape);
    OnnxJavaType type = info(input).type;
    return switch (type) {
      case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
      case INT32 -> {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
          ints[i] = Math.toIntExact(values[i]);
        }
        yield OnnxTensor.createTensor(env, IntBuffer.wrap(ints), shape);
      }
      case FLOAT, FLOAT16, DOUBLE -> {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
          floats[i] = values[i];
        }
        yield of(env, input, floats, shape);
      }
      default -> throw unsupported(input, type);
    };
  }

  /**
   * One scalar for an input declared either as a rank-0 scalar (Optimum 1.24 timesteps) or as a
   * vector: a vector gets {@code count} copies (a declared fixed length wins, e.g. [1]).
   */
  public static OnnxTensor scalarOrVector(
      OrtEnvironment env, NodeInfo input, float value, int count) throws OrtException {
    long[] declared = info(input).getShape();
    if (declared.length == 0) {
      return of(env, input, new float[] {value}, new long[0]);
    }
    if (declared.length != 1) {
      throw new IllegalArgumentException(
          input.getName() + " is declared with rank " + declared.length + ", expected 0 or 1");
    }
    int n = declared[0] > 0 ? (int) declared[0] : count;
    float[] values = new float[n];
    Arrays.fill(values, value);
    return of(env, input, values, new long[] {n});
  }

  /** The values of a float16, float32 or float64 output as floats. */
  public static float[] floats(OnnxTensor tensor) {
    TensorInfo info = tensor.getInfo();
    return switch (info.type) {
      case FLOAT -> copy(tensor.getFloatBuffer());
      case FLOAT16 -> {
        ShortBuffer halves = tensor.getShortBuffer();
        float[] out = new float[halves.remaining()];
        for (int i = 0; i < out.length; i++) {
          out[i] = Float16.toFloat(halves.get(i));
        }
        yield out;
      }
      case DOUBLE -> {
        DoubleBuffer wide = tensor.getDoubleBuffer();
        float[] out = new float[wide.remaining()];
        for (int i = 0; i < out.length; i++) {
          out[i] = (float) wide.get(i);
        }
        yield out;
      }
      default ->
          throw new IllegalArgumentException("output is " + info.type + ", expected a float type");
    };
  }

  private static float[] copy(FloatBuffer buffer) {
    float[] out = new float[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static void checkSize(NodeInfo input, int length, long[] shape) {
    long elements = 1;
    for (long d : shape) {
      elements *= d;
    }
    if (elements != length) {
      throw new IllegalArgumentException(
          input.getName() + ": " + length + " values do not fill shape " + Arrays.toString(shape));
    }
    long[] declared = info(input).getShape();
    if (declared.length != shape.length) {
      throw new IllegalArgumentException(
          input.getName()
              + " is declared with rank "
              + declared.length
              + " "
              + Arrays.toString(declared)
              + ", given shape "
              + Arrays.toString(shape));
    }
    for (int i = 0; i < shape.length; i++) {
      if (declared[i] > 0 && declared[i] != shape[i]) {
        throw new IllegalArgumentException(
            input.getName()
                + " is declared "
                + Arrays.toString(declared)
                + ", given shape "
                + Arrays.toString(shape));
      }
    }
  }

  private static IllegalArgumentException unsupported(NodeInfo input, OnnxJavaType type) {
    return new IllegalArgumentException(
        input.getName() + " is declared as " + type + ", which imajin does not feed");
  }
}
