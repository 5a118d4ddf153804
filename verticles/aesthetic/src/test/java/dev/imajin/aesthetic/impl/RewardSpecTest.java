package dev.imajin.aesthetic.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.inference.image.Resample;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelFile;
import dev.imajin.inference.model.ModelManifest;
import dev.imajin.inference.model.ModelParameters;
import dev.imajin.inference.model.ModelTask;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RewardSpecTest {
  private static final String WHERE = "/m/imajin-model.yaml";

  private static ModelEntry entry(Map<String, Object> pre, Map<String, Object> post) {
    ModelManifest manifest =
        new ModelManifest(
            "r",
            ModelTask.IMAGE_REWARD,
            "image-reward",
            Map.of("model", ModelFile.of("reward.onnx")),
            Optional.of("tokenizer"),
            new ModelParameters(WHERE + ": preprocess", pre),
            new ModelParameters(WHERE + ": postprocess", post),
            List.of(),
            Map.of(),
            "Apache-2.0",
            Optional.empty(),
            OptionalLong.empty());
    return new ModelEntry(
        "r",
        ModelTask.IMAGE_REWARD,
        "image-reward",
        Path.of("/m"),
        ModelEntry.Source.MANIFEST,
        Optional.of(manifest),
        Optional.empty(),
        Map.of(),
        1,
        List.of());
  }

  @Test
  @DisplayName("The starter pack's manifest: squash to size, its filter, lengths and reward scale")
  void starterPack() {
    RewardSpec spec =
        RewardSpec.of(
            entry(
                Map.of(
                    "size",
                    64,
                    "resample",
                    "bicubic",
                    "rescale",
                    0.00392156862745098,
                    "mean",
                    List.of(0.48145466, 0.4578275, 0.40821073),
                    "std",
                    List.of(0.26862954, 0.26130258, 0.27577711),
                    "max_length",
                    77,
                    "pad_token_id",
                    49407),
                Map.of("mean", 0.16717362830052426, "std", 1.0333394966054072)),
            0,
            0);
    assertThat(spec.width()).isEqualTo(64);
    assertThat(spec.height()).isEqualTo(64);
    assertThat(spec.shortestEdge()).isZero();
    assertThat(spec.image().resample()).isEqualTo(Resample.BICUBIC);
    assertThat(spec.maxLength()).hasValue(77);
    assertThat(spec.padTokenId()).hasValue(49407);
    assertThat(spec.reward(1.2))
        .isCloseTo((1.2 - 0.16717362830052426) / 1.0333394966054072, within(1e-12));
    assertThat(spec.pixels(new BufferedImage(100, 30, BufferedImage.TYPE_INT_RGB)))
        .hasSize(3 * 64 * 64);
  }

  @Test
  @DisplayName("Absent keys: CLIP's mean and std, bicubic, 1/255, the graph's size, no normalising")
  void defaults() {
    RewardSpec spec = RewardSpec.of(entry(Map.of(), Map.of()), 24, 32);
    assertThat(spec.height()).isEqualTo(24);
    assertThat(spec.width()).isEqualTo(32);
    assertThat(spec.image().mean()).containsExactly(RewardSpec.CLIP_MEAN);
    assertThat(spec.image().std()).containsExactly(RewardSpec.CLIP_STD);
    assertThat(spec.image().rescale()).isEqualTo(1 / 255.0);
    assertThat(spec.maxLength()).isEmpty();
    assertThat(spec.padTokenId()).isEmpty();
    assertThat(spec.reward(0.25)).isEqualTo(0.25);
  }

  @Test
  @DisplayName("ImageReward's transform: the shorter side to size, then the centre crop")
  void shortestEdgeAndCrop() {
    RewardSpec spec =
        RewardSpec.of(
            entry(
                Map.of(
                    "size",
                    224,
                    "crop_size",
                    224,
                    "mean",
                    List.of(0.5, 0.5, 0.5),
                    "std",
                    List.of(0.5, 0.5, 0.5)),
                Map.of()),
            0,
            0);
    assertThat(spec.shortestEdge()).isEqualTo(224);
    assertThat(spec.width()).isEqualTo(224);
    // 896x448: resized to 448x224, the crop keeps x 112..336, i.e. the source's 224..672: white.
    BufferedImage image = new BufferedImage(896, 448, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(200, 0, 496, 448);
    g.dispose();
    float[] pixels = spec.pixels(image);
    assertThat(pixels).hasSize(3 * 224 * 224);
    for (float v : pixels) {
      assertThat(v).isCloseTo(1f, within(1e-5f));
    }

    RewardSpec hf =
        RewardSpec.of(
            entry(
                Map.of(
                    "size",
                    Map.of("shortest_edge", 20),
                    "crop_size",
                    Map.of("height", 10, "width", 12)),
                Map.of()),
            0,
            0);
    assertThat(hf.shortestEdge()).isEqualTo(20);
    assertThat(hf.height()).isEqualTo(10);
    assertThat(hf.width()).isEqualTo(12);
    assertThat(hf.pixels(new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB))).hasSize(3 * 10 * 12);
  }

  @Test
  @DisplayName("Bad values name the manifest and the key")
  void refuses() {
    assertThatThrownBy(
            () -> RewardSpec.of(entry(Map.of("size", 8, "resample", "box"), Map.of()), 0, 0))
        .isInstanceOf(ModelException.class)
        .hasMessageStartingWith(WHERE + ": preprocess.resample: expected");
    assertThatThrownBy(() -> RewardSpec.of(entry(Map.of("size", 8), Map.of("std", 0)), 0, 0))
        .hasMessage(WHERE + ": postprocess.std: must be positive, was 0.0");
    assertThatThrownBy(() -> RewardSpec.of(entry(Map.of(), Map.of()), 0, 0))
        .hasMessageStartingWith(WHERE + ": preprocess.size: missing");
    assertThatThrownBy(
            () ->
                RewardSpec.of(entry(Map.of("size", List.of(8, 9), "crop_size", 8), Map.of()), 0, 0))
        .hasMessageStartingWith(
            WHERE + ": preprocess.size: with crop_size, give the shortest edge");
    assertThatThrownBy(
            () -> RewardSpec.of(entry(Map.of("size", 8, "max_length", 1), Map.of()), 0, 0))
        .hasMessage(WHERE + ": preprocess.max_length: must be at least 2, was 1");
    assertThatThrownBy(
            () -> RewardSpec.of(entry(Map.of("size", Map.of("shortest_edge", 8)), Map.of()), 0, 0))
        .hasMessageStartingWith(WHERE + ": preprocess.size.height: is required");
  }
}
