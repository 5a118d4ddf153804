package dev.imajin.inference.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ONNX graph builder")
class OnnxGraphTest {

  /** y = x·W + b over a symbolic batch, with W and b initializers. */
  private static ModelProto affine() {
    OnnxGraph g = new OnnxGraph("affine");
    String x = g.input("x", DataType.FLOAT, "batch", 2);
    String w = g.floats(new float[] {1, 2, 3, 4}, 2, 2);
    String y = g.op("Add", g.op("MatMul", x, w), g.floats(new float[] {10, 20}, 2));
    g.output("y", y, DataType.FLOAT, "batch", 2);
    return g.model();
  }

  @Test
  @DisplayName("ONNX Runtime loads and runs a model it builds, at opset 17 and IR version 8")
  void runsInOnnxRuntime() throws Exception {
    ModelProto model = affine();
    assertThat(model.getIrVersion()).isEqualTo(8);
    assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
    assertThat(OrtProbe.ENV.getVersion()).isNotBlank();
    try (OrtSession session = OrtProbe.open(model)) {
      assertThat(OrtProbe.signature(session)).isEqualTo("x:float[2] -> y:float[2]");
      assertThat(run(session)).containsExactly(17, 30, 25, 42);
    }
  }

  @Test
  @DisplayName("External data: the weights move to one file beside the model, which still loads")
  void writesExternalData(@TempDir Path dir) throws Exception {
    OnnxFiles.write(affine(), dir.resolve("model.onnx"), "weights.pb");

    assertThat(Files.size(dir.resolve("weights.pb"))).isEqualTo((4 + 2) * 4);
    ModelProto written = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
    assertThat(written.getGraph().getInitializerList()).hasSize(2);
    for (TensorProto t : written.getGraph().getInitializerList()) {
      assertThat(t.getDataLocation()).isEqualTo(TensorProto.DataLocation.EXTERNAL);
      assertThat(t.getRawData().isEmpty()).isTrue();
      assertThat(t.getExternalData(0).getValue()).isEqualTo("weights.pb");
    }
    try (OrtSession session = OrtProbe.open(dir.resolve("model.onnx"))) {
      assertThat(run(session)).containsExactly(17, 30, 25, 42);
    }
  }

  private static float[] run(OrtSession session) throws Exception {
    float[] x = {1, 2, 3, 4};
    try (OnnxTensor t = OrtProbe.tensor(OnnxJavaType.FLOAT, new long[] {2, 2}, i -> x[i])) {
      return OrtProbe.run(session, Map.of("x", t)).get("y").values();
    }
  }
}
