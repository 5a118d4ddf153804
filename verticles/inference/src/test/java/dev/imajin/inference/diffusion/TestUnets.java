package dev.imajin.inference.diffusion;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.imajin.inference.testing.OnnxFiles;
import dev.imajin.inference.testing.OnnxGraph;
import dev.imajin.inference.testing.SdPipelineFolder;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.inference.testing.SdVariant.Family;
import dev.imajin.inference.testing.SdVariant.WeightsFile;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** SD 1.5 UNets (Optimum 1.24 I/O) of shapes the shared fixtures do not make. */
final class TestUnets {
  private TestUnets() {}

  /**
   * out = conv1x1(sample, about the identity on the first 4 channels) + a bias from the timestep
   * and the mean text embedding.
   *
   * @param batch, height, width each an Integer (fixed) or a String (named dynamic axis)
   * @param channels 4, or 9 for an inpainting UNet (latents ‖ mask ‖ masked-image latents)
   */
  static ModelProto unet(Object batch, int channels, Object height, Object width) {
    OnnxGraph g = new OnnxGraph("unet");
    SplittableRandom random = new SplittableRandom(9);
    String sample = g.input("sample", DataType.FLOAT, batch, channels, height, width);
    String t = g.input("timestep", DataType.FLOAT);
    String ehs = g.input("encoder_hidden_states", DataType.FLOAT, batch, "sequence_length", 32);
    float[] w = new float[4 * channels];
    for (int o = 0; o < 4; o++) {
      for (int i = 0; i < channels; i++) {
        w[o * channels + i] = (o == i ? 1f : 0f) + (float) random.nextDouble(-0.1, 0.1);
      }
    }
    String conv = g.op("Conv", sample, g.floats(w, 4, channels, 1, 1), g.floats(new float[4], 4));
    String mean =
        g.node("ReduceMean").in(ehs).attr("axes", new long[] {1}).attr("keepdims", 0).out();
    String text = g.op("MatMul", mean, g.floats(random, 0f, 0.05f, SdVariant.TEXT_HIDDEN, 4));
    String bias =
        g.op("Unsqueeze", g.op("Add", text, g.op("Mul", t, g.scalar(1e-4f))), g.longs(2, 3));
    g.output("out_sample", g.op("Add", conv, bias), DataType.FLOAT, batch, 4, height, width);
    return g.model();
  }

  /** An Optimum 1.24 SD 1.5 folder under {@code dir}/model with this UNet, opened. */
  static SdFixture fixture(Path dir, ModelProto unet) throws Exception {
    SdVariant variant = SdVariant.optimum1_24(Family.SD15).withUnetWeights(WeightsFile.INLINE);
    SdPipelineFolder folder =
        SdPipelineFolder.write(dir.resolve("model"), variant, SdFixture::tokenizers);
    OnnxFiles.write(unet, folder.model("unet"));
    return SdFixture.scan(dir, variant);
  }
}
