package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/** Test helpers that open tiny models in ONNX Runtime and describe and run them. */
final class OrtProbe {
  static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /** One output: its shape, raw bytes and values widened to float. */
  record Output(long[] shape, byte[] bytes, float[] values) {}

  private OrtProbe() {}

  static OrtSession open(ModelProto model) throws OrtException {
    return ENV.createSession(model.toByteArray(), new OrtSession.SessionOptions());
  }

  static OrtSession open(Path model) throws OrtException {
    return ENV.createSession(model.toString(), new OrtSession.SessionOptions());
  }

  /** {@code "a:float[4] b:int64[0] -> c:float16[3]"}: names in order, element type, rank. */
  static String signature(OrtSession session) throws OrtException {
    return describe(session.getInputInfo()) + " -> " + describe(session.getOutputInfo());
  }

  /**
   * Each value's declared dims, symbolic ones by name: {@code "sample[batch_size,4,height,width]"}.
   */
  static List<String> dims(Map<String, NodeInfo> infos) {
    List<String> all = new ArrayList<>();
    infos.forEach(
        (name, info) -> {
          TensorInfo t = (TensorInfo) info.getInfo();
          List<String> dims = new ArrayList<>();
          for (int i = 0; i < t.getShape().length; i++) {
            long d = t.getShape()[i];
            dims.add(d < 0 ? t.getDimensionNames()[i] : Long.toString(d));
          }
          all.add(name + dims.toString().replace(" ", ""));
        });
    return all;
  }

  static TensorInfo info(NodeInfo node) {
    return (TensorInfo) node.getInfo();
  }

  /**
   * Creates a tensor of the declared type filled from {@code values}, which gives element {@code
   * i}'s value as a double (rounded for integer types).
   */
  static OnnxTensor tensor(OnnxJavaType type, long[] shape, IntToDoubleFunction values)
      throws OrtException {
    int count = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    int width =
        switch (type) {
          case FLOAT, INT32 -> 4;
          case INT64 -> 8;
          case FLOAT16 -> 2;
          default -> throw new IllegalArgumentException("unsupported type " + type);
        };
    ByteBuffer buffer = ByteBuffer.allocateDirect(count * width).order(ByteOrder.nativeOrder());
    for (int i = 0; i < count; i++) {
      double v = values.applyAsDouble(i);
      switch (type) {
        case FLOAT -> buffer.putFloat((float) v);
        case INT32 -> buffer.putInt((int) Math.round(v));
        case INT64 -> buffer.putLong(Math.round(v));
        default -> buffer.putShort(Fp16Conversions.floatToFp16((float) v));
      }
    }
    return OnnxTensor.createTensor(ENV, buffer.flip(), shape, type);
  }

  /** A tensor of uniform values in {@code [lo, hi)}. */
  static OnnxTensor uniform(OnnxJavaType type, long[] shape, long seed, double lo, double hi)
      throws OrtException {
    SplittableRandom random = new SplittableRandom(seed);
    return tensor(type, shape, i -> random.nextDouble(lo, hi));
  }

  /** Runs {@code session} and copies every output out. */
  static Map<String, Output> run(OrtSession session, Map<String, OnnxTensor> inputs)
      throws OrtException {
    Map<String, Output> outputs = new LinkedHashMap<>();
    try (OrtSession.Result result = session.run(inputs)) {
      for (Map.Entry<String, OnnxValue> e : result) {
        OnnxTensor t = (OnnxTensor) e.getValue();
        ByteBuffer bytes = t.getByteBuffer();
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        outputs.put(e.getKey(), new Output(t.getInfo().getShape(), raw, floats(t)));
      }
    }
    return outputs;
  }

  private static float[] floats(OnnxTensor t) {
    if (t.getInfo().type == OnnxJavaType.FLOAT) {
      float[] values = new float[t.getFloatBuffer().remaining()];
      t.getFloatBuffer().get(values);
      return values;
    }
    ShortBuffer halves = t.getShortBuffer();
    float[] values = new float[halves.remaining()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Fp16Conversions.fp16ToFloat(halves.get(i));
    }
    return values;
  }

  private static String describe(Map<String, NodeInfo> infos) {
    List<String> parts = new ArrayList<>();
    infos.forEach(
        (name, info) -> {
          TensorInfo t = (TensorInfo) info.getInfo();
          parts.add(name + ":" + t.type.name().toLowerCase() + "[" + t.getShape().length + "]");
        });
    return String.join(" ", parts);
  }
}
