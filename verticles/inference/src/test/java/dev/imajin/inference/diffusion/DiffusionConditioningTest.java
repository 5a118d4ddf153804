package dev.imajin.inference.diffusion;

import static dev.imajin.inference.testing.SdVariant.Family.LCM;
import static dev.imajin.inference.testing.SdVariant.Family.SD15;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import dev.imajin.contracts.ImajinException;
import dev.imajin.inference.onnx.Tensors;
import dev.imajin.inference.scheduler.LcmGuidance;
import dev.imajin.inference.testing.SdVariant;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Diffusion pipeline: text conditioning, SDXL and LCM inputs")
class DiffusionConditioningTest {
  @TempDir Path dir;

  @Test
  @DisplayName("SDXL reads the penultimate hidden states of both encoders and te2's text_embeds")
  void sdxlOutputs() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SDXL))) {
      TextEncoder first =
          TextEncoder.of("te", f.sessions.get("text_encoder"), f.tokenizer, true, false);
      TextEncoder second =
          TextEncoder.of("te2", f.sessions.get("text_encoder_2"), f.tokenizer2, true, true);

      assertThat(first.outputs()).containsExactly("hidden_states.11");
      assertThat(second.outputs()).containsExactly("hidden_states.31", "text_embeds");
      TextEncoder.Encoded a = first.encode(SdFixture.ENV, "a red star");
      TextEncoder.Encoded b = second.encode(SdFixture.ENV, "a red star");
      assertThat(a.sequence()).isEqualTo(77);
      assertThat(a.width()).isEqualTo(SdVariant.TEXT_HIDDEN);
      assertThat(b.width()).isEqualTo(SdVariant.TEXT2_HIDDEN);
      assertThat(b.pooled()).hasSize(SdVariant.TEXT2_PROJECTION);

      Prompts.Embeddings both =
          new Prompts(first, second, true).encode(SdFixture.ENV, "a red star", null, false);
      int width = SdVariant.TEXT_HIDDEN + SdVariant.TEXT2_HIDDEN;
      assertThat(both.width()).isEqualTo(width);
      assertThat(Arrays.copyOfRange(both.positive(), 5 * width, 5 * width + a.width()))
          .containsExactly(Arrays.copyOfRange(a.states(), 5 * a.width(), 6 * a.width()));
      assertThat(Arrays.copyOfRange(both.positive(), 5 * width + a.width(), 6 * width))
          .containsExactly(Arrays.copyOfRange(b.states(), 5 * b.width(), 6 * b.width()));
    }
  }

  @Test
  @DisplayName("SD 1.x reads last_hidden_state")
  void sdOutputs() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.diffusersScript(SD15))) {
      TextEncoder te =
          TextEncoder.of("te", f.sessions.get("text_encoder"), f.tokenizer, false, false);
      assertThat(te.outputs()).containsExactly("last_hidden_state");
    }
  }

  @Test
  @DisplayName(
      "SDXL guides against zeros (embeddings and pooled) without a negative prompt; the batch is"
          + " [negative; positive] with time_ids [H, W, 0, 0, H, W]")
  void sdxlConditioning() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SDXL))) {
      DiffusionPipeline pipeline = f.pipeline();
      Prompts.Embeddings text = pipeline.prompts().encode(SdFixture.ENV, "a cat", null, true);
      try (Conditioning c =
          Conditioning.of(
              SdFixture.ENV,
              pipeline.unet(),
              text,
              RequestBuilder.txt2img().count(2).size(96, 64).guidance(5f).build(),
              0)) {
        float[] ehs = Tensors.floats(c.tensors().get("encoder_hidden_states"));
        float[] pooled = Tensors.floats(c.tensors().get("text_embeds"));
        float[] timeIds = Tensors.floats(c.tensors().get("time_ids"));
        int row = ehs.length / 4;

        assertThat(Arrays.copyOfRange(ehs, 0, 2 * row)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(ehs, 2 * row, 3 * row)).containsExactly(text.positive());
        assertThat(Arrays.copyOfRange(ehs, 3 * row, 4 * row)).containsExactly(text.positive());
        assertThat(Arrays.copyOfRange(pooled, 0, 2 * SdVariant.TEXT2_PROJECTION)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(pooled, 3 * SdVariant.TEXT2_PROJECTION, pooled.length))
            .containsExactly(text.pooled());
        assertThat(timeIds)
            .containsExactly(
                64, 96, 0, 0, 64, 96, 64, 96, 0, 0, 64, 96, 64, 96, 0, 0, 64, 96, 64, 96, 0, 0, 64,
                96);
      }
    }
  }

  @Test
  @DisplayName(
      "An empty negative prompt counts as none; a given one, or force_zeros_for_empty_prompt"
          + " false, changes the image")
  void sdxlNegative() throws Exception {
    BufferedImage zeros;
    BufferedImage empty;
    BufferedImage given;
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(SDXL))) {
      RequestBuilder request = RequestBuilder.txt2img().guidance(5f);
      zeros = f.pipeline().generate(request.build(), null, null).images().get(0);
      empty = f.pipeline().generate(request.negative("").build(), null, null).images().get(0);
      given =
          f.pipeline().generate(request.negative("blue star").build(), null, null).images().get(0);
    }
    Path index = dir.resolve("model/model_index.json");
    Files.writeString(
        index,
        new JsonObject(Files.readString(index))
            .put("force_zeros_for_empty_prompt", false)
            .encode());
    BufferedImage encodedEmpty;
    try (SdFixture f = SdFixture.scan(dir, SdVariant.optimum1_24(SDXL))) {
      encodedEmpty =
          f.pipeline()
              .generate(RequestBuilder.txt2img().guidance(5f).build(), null, null)
              .images()
              .get(0);
    }

    assertThat(Images.same(zeros, empty)).isTrue();
    assertThat(Images.same(zeros, given)).isFalse();
    assertThat(Images.same(zeros, encodedEmpty)).isFalse();
  }

  @Test
  @DisplayName(
      "An SDXL UNet whose config does not add up (time_ids × addition_time_embed_dim + pooled) is"
          + " refused when the pipeline is built")
  void sdxlAddEmbeddingCheck() throws Exception {
    SdFixture.open(dir, SdVariant.optimum1_24(SDXL)).close();
    Path config = dir.resolve("model/unet/config.json");
    Files.writeString(
        config,
        new JsonObject(Files.readString(config))
            .put("projection_class_embeddings_input_dim", 2816)
            .encode());
    try (SdFixture f = SdFixture.scan(dir, SdVariant.optimum1_24(SDXL))) {
      assertThatThrownBy(f::pipeline)
          .isInstanceOf(ImajinException.class)
          .hasMessageContaining("takes 2816 values")
          .hasMessageContaining("6 time_ids × 256 (addition_time_embed_dim) + 40 pooled make 1576");
    }
  }

  @Test
  @DisplayName(
      "Olive's unnamed SDXL inputs are found: onnx::Concat_4 text_embeds, onnx::Shape_5 time_ids")
  void oliveNames() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.olive(SDXL))) {
      UnetIo io = f.pipeline().unet();

      assertThat(io.textEmbeds().getName()).isEqualTo("onnx::Concat_4");
      assertThat(io.timeIds().getName()).isEqualTo("onnx::Shape_5");
      assertThat(io.xl()).isTrue();
      assertThat(io.lcm()).isFalse();
    }
  }

  @Test
  @DisplayName(
      "LCM runs without guidance's negative branch and feeds timestep_cond, the embedding of w ="
          + " guidance − 1")
  void lcm() throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(LCM))) {
      List<long[]> calls = new ArrayList<>();
      DiffusionPipeline pipeline = f.pipeline((shape, t) -> calls.add(shape.clone()));
      BufferedImage a =
          pipeline
              .generate(RequestBuilder.txt2img().guidance(8.5f).count(2).build(), null, null)
              .images()
              .get(0);
      BufferedImage b =
          pipeline
              .generate(RequestBuilder.txt2img().guidance(3f).count(2).build(), null, null)
              .images()
              .get(0);

      assertThat(calls).hasSize(8).allSatisfy(s -> assertThat(s[0]).isEqualTo(2));
      assertThat(Images.same(a, b)).isFalse();
      Prompts.Embeddings text = pipeline.prompts().encode(SdFixture.ENV, "a cat", null, false);
      try (Conditioning c =
          Conditioning.of(
              SdFixture.ENV,
              pipeline.unet(),
              text,
              RequestBuilder.txt2img().guidance(8.5f).build(),
              256)) {
        OnnxTensor cond = c.tensors().get("timestep_cond");
        float[] expected = LcmGuidance.guidanceEmbedding(8.5f, 256);
        assertThat(cond.getInfo().getShape()).containsExactly(1, 256);
        assertThat(Tensors.floats(cond)).containsExactly(expected);
        assertThat(expected[0]).isCloseTo(-0.8512f, within(1e-3f));
      }
    }
  }
}
