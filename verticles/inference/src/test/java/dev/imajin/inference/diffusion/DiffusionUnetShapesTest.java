package dev.imajin.inference.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.diffusion.DiffusionRequest.Mode;
import dev.imajin.inference.testing.OnnxGraph;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Diffusion pipeline: UNets of other shapes")
class DiffusionUnetShapesTest {
  @TempDir Path dir;

  @Test
  @DisplayName(
      "A 9-channel inpainting UNet gets the mask and masked image as extra channels, and only"
          + " inpaints")
  void inpaintingUnet() throws Exception {
    try (SdFixture f = TestUnets.fixture(dir, TestUnets.unet("batch_size", 9, "height", "width"))) {
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

  @Test
  @DisplayName("A UNet exported with a fixed batch and size takes exactly those, and says so")
  void fixedShape() throws Exception {
    try (SdFixture f = TestUnets.fixture(dir, TestUnets.unet(2, 4, 8, 8))) {
      DiffusionPipeline pipeline = f.pipeline();

      assertThat(pipeline.generate(RequestBuilder.txt2img().build(), null, null).images())
          .hasSize(1);
      assertThatThrownBy(
              () -> pipeline.generate(RequestBuilder.txt2img().size(72, 64).build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessageContaining("is exported for 64x64 only");
      assertThatThrownBy(
              () -> pipeline.generate(RequestBuilder.txt2img().guidance(1f).build(), null, null))
          .isInstanceOf(ImajinException.class)
          .hasMessageContaining("is exported for a UNet batch of 2")
          .hasMessageContaining("this request needs 1");
    }
  }

  @Test
  @DisplayName(
      "A graph that is no UNet is refused when the pipeline is built, naming its file and inputs")
  void notAUnet() throws Exception {
    OnnxGraph g = new OnnxGraph("unet");
    String x = g.input("pixels", DataType.FLOAT, "batch", 4, "h", "w");
    g.output("out_sample", g.op("Identity", x), DataType.FLOAT, "batch", 4, "h", "w");
    try (SdFixture f = TestUnets.fixture(dir, g.model())) {
      assertThatThrownBy(f::pipeline)
          .isInstanceOf(ImajinException.class)
          .hasMessageContaining("unet/model.onnx: the UNet's inputs [pixels]")
          .hasMessageContaining("are not a UNet2DConditionModel's");
    }
  }
}
