package dev.imajin.inference.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelParameters;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImagePreprocessTest {
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  private static ModelParameters section(Map<String, Object> values) {
    return new ModelParameters("m/imajin-model.yaml: preprocess", values);
  }

  @Test
  @DisplayName("A manifest's size, filter, rescale, mean and std are read; absent ones default")
  void reads() {
    ImagePreprocess p =
        ImagePreprocess.read(
            section(
                Map.of(
                    "size",
                    64,
                    "resample",
                    "bilinear",
                    "rescale",
                    0.00392156862745098,
                    "mean",
                    List.of(0.1, 0.2, 0.3),
                    "std",
                    List.of(0.5, 0.25, 1))),
            0,
            0,
            HALF,
            HALF);
    assertThat(List.of(p.height(), p.width(), p.resample()))
        .containsExactly(64, 64, Resample.BILINEAR);
    assertThat(p.mean()).containsExactly(0.1f, 0.2f, 0.3f);
    assertThat(p.std()).containsExactly(0.5f, 0.25f, 1f);

    ImagePreprocess hf = ImagePreprocess.read(section(Map.of("resample", 2)), 224, 200, HALF, HALF);
    assertThat(List.of(hf.height(), hf.width(), hf.resample()))
        .containsExactly(224, 200, Resample.BILINEAR);
    assertThat(hf.rescale()).isEqualTo(1 / 255.0);
    assertThat(hf.mean()).containsExactly(HALF);
    assertThat(ImagePreprocess.read(section(Map.of("size", List.of(32, 48))), 0, 0, HALF, HALF))
        .satisfies(s -> assertThat(List.of(s.height(), s.width())).containsExactly(32, 48))
        .satisfies(s -> assertThat(s.resample()).isEqualTo(Resample.BICUBIC));
  }

  @Test
  @DisplayName("Bad values fail naming the manifest key")
  void refuses() {
    assertThatThrownBy(() -> ImagePreprocess.read(section(Map.of()), 0, 0, HALF, HALF))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "m/imajin-model.yaml: preprocess.size: missing, and the graph declares no fixed image"
                + " size");
    assertThatThrownBy(
            () ->
                ImagePreprocess.read(
                    section(Map.of("size", 8, "resample", "lanczos")), 0, 0, HALF, HALF))
        .hasMessageStartingWith("m/imajin-model.yaml: preprocess.resample: expected nearest,");
    assertThatThrownBy(
            () ->
                ImagePreprocess.read(
                    section(Map.of("size", 8, "mean", List.of(1, 2))), 0, 0, HALF, HALF))
        .hasMessageContaining("preprocess.mean: expected 3 numbers");
    assertThatThrownBy(
            () ->
                ImagePreprocess.read(
                    section(Map.of("size", 8, "std", List.of(1, 0, 1))), 0, 0, HALF, HALF))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("std must be positive");
  }

  @Test
  @DisplayName("Pixels are resized, rescaled and normalised per channel into RGB planes")
  void pixels() {
    BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        image.setRGB(x, y, 0xFF_00_80);
      }
    }
    ImagePreprocess p =
        new ImagePreprocess(
            4, 2, Resample.BICUBIC, 1 / 255.0, new float[] {0.5f, 0.5f, 0.5f}, HALF);
    float[] planes = p.pixels(image);
    assertThat(planes).hasSize(3 * 4 * 2);
    assertThat(planes[0]).isEqualTo(1f);
    assertThat(planes[8]).isEqualTo(-1f);
    assertThat((double) planes[16]).isCloseTo((128 / 255.0 - 0.5) / 0.5, within(1e-6));
  }
}
