package dev.imajin.inference.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.diffusion.DiffusionRequest.Mode;
import dev.imajin.inference.testing.OnnxFiles;
import dev.imajin.inference.testing.OnnxGraph;
import dev.imajin.inference.testing.SdPipelineFolder;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.inference.testing.SdVariant.Family;
import dev.imajin.inference.testing.SdVariant.WeightsFile;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Diffusion pipeline: a dedicated inpainting UNet (9 input channels)")
class DiffusionInpaintingUnetTest {
  @TempDir Path dir;

  /** An Optimum 1.24 UNet whose sample is latents ‖ mask ‖ masked-image latents. */
  static ModelProto inpaintingUnet() {
    OnnxGraph g = new OnnxGraph("unet");
    SplittableRandom random = new SplittableRandom(9);
    String sample = g.input("sample", DataType.FLOAT, "batch_size", 9, "height", "width");
    String t = g.input("timestep", DataType.FLOAT);
    String ehs =
        g.input(
            "encoder_hidden_states",
            DataType.FLOAT,
            "batch_size",
            "sequence_length",
            SdVariant.TEXT_HIDDEN);
    float[] w = new float[4 * 9];
    for (int o = 0; o < 4; o++) {
      for (int i = 0; i < 9; i++) {
        w[o * 9 + i] = (o == i ? 1f : 0f) + (float) random.nextDouble(-0.1, 0.1);
      }
    }
    String conv = g.op("Conv", sample, g.floats(w, 4, 9, 1, 1), g.floats(new float[4], 4));
    String mean =
        g.node("ReduceMean").in(ehs).attr("axes", new long[] {1}).attr("keepdims", 0).out();
    String text = g.op("MatMul", mean, g.floats(random, 0f, 0.05f, SdVariant.TEXT_HIDDEN, 4));
    String bias =
        g.op("Unsqueeze", g.op("Add", text, g.op("Mul", t, g.scalar(1e-4f))), g.longs(2, 3));
    g.output(
        "out_sample", g.op("Add", conv, bias), DataType.FLOAT, "batch_size", 4, "height", "width");
    return g.model();
  }

  private SdFixture fixture() throws Exception {
    SdVariant variant = SdVariant.optimum1_24(Family.SD15).withUnetWeights(WeightsFile.INLINE);
    SdPipelineFolder folder =
        SdPipelineFolder.write(dir.resolve("model"), variant, SdFixture::tokenizers);
    OnnxFiles.write(inpaintingUnet(), folder.model("unet"));
    return SdFixture.scan(dir, variant);
  }

  @Test
  @DisplayName("It inpaints with the mask and masked image as extra channels, and only inpaints")
  void inpaints() throws Exception {
    try (SdFixture f = fixture()) {
      List<long[]> calls = new ArrayList<>();
      DiffusionPipeline pipeline = f.pipeline((shape, t) -> calls.add(shape.clone()));
      BufferedImage start = Images.picture(64, 64);
      BufferedImage out =
          pipeline
              .generate(
                  RequestBuilder.txt2img()
                      .inpaint(start, Images.leftMask(64, 64, 32), 1f, 0)
                      .build(),
                  null,
                  null)
              .images()
              .get(0);

      assertThat(pipeline.defaults().modes()).containsExactly(Mode.INPAINT);
      assertThat(calls).hasSize(4).allSatisfy(s -> assertThat(s).containsExactly(2, 9, 8, 8));
      assertThat(Images.difference(out, start, 32, 64)).isZero();
      assertThat(Images.difference(out, start, 0, 32)).isGreaterThan(5);
      assertThatThrownBy(() -> pipeline.generate(RequestBuilder.txt2img().build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessageContaining("cannot do txt2img (its UNet is an inpainting one)");
    }
  }
}
