package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes ONNX models to disk, with their weights inline or in one external data file. */
public final class OnnxFiles {
  private OnnxFiles() {}

  /** Writes {@code model} to {@code file} with every weight inline. */
  public static void write(ModelProto model, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, model.toByteArray());
  }

  /**
   * Writes {@code model} to {@code file} and the bytes of every float initializer, one after the
   * other, to {@code dataFileName} beside it, as {@code onnx.save_model(...,
   * all_tensors_to_one_file=True)} does. Like onnx, which keeps tensors under 1 KiB inline, it
   * keeps the int64 shape and axes constants inline (shape inference must read them); unlike onnx
   * it moves float tensors of any size, so the tiny fixtures have external data at all. ONNX
   * Runtime then loads the model only from its path.
   */
  public static void write(ModelProto model, Path file, String dataFileName) throws IOException {
    GraphProto.Builder graph = model.getGraph().toBuilder();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (TensorProto.Builder tensor : graph.getInitializerBuilderList()) {
      if (tensor.getDataType() == TensorProto.DataType.INT64_VALUE) {
        continue;
      }
      long offset = data.size();
      tensor.getRawData().writeTo(data);
      tensor
          .clearRawData()
          .setDataLocation(TensorProto.DataLocation.EXTERNAL)
          .addExternalData(entry("location", dataFileName))
          .addExternalData(entry("offset", Long.toString(offset)))
          .addExternalData(entry("length", Long.toString(data.size() - offset)));
    }
    write(model.toBuilder().setGraph(graph).build(), file);
    Files.write(file.resolveSibling(dataFileName), data.toByteArray());
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
