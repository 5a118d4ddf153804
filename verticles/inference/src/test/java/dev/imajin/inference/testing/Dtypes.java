package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

final class Dtypes {
  private Dtypes() {}

  static void requireFloat(DataType floats) {
    if (floats != DataType.FLOAT && floats != DataType.FLOAT16) {
      throw new IllegalArgumentException("float I/O must be FLOAT or FLOAT16: " + floats);
    }
  }
}
