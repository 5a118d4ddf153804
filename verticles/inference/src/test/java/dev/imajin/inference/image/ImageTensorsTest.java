package dev.imajin.inference.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {
  @Test
  @DisplayName("The shorter side becomes the edge, the longer one scales and rounds down")
  void shortestEdge() {
    assertThat(ImageTensors.shortestEdgeSize(640, 480, 224)).containsExactly(298, 224);
    assertThat(ImageTensors.shortestEdgeSize(480, 640, 224)).containsExactly(224, 298);
    assertThat(ImageTensors.shortestEdgeSize(100, 100, 50)).containsExactly(50, 50);
  }

  @Test
  @DisplayName("The centre crop keeps the middle of each plane, floor-centred as Python's //")
  void centerCrop() {
    // Two 4x3 planes holding 0..11 and 100..111.
    float[] planes = new float[24];
    for (int i = 0; i < 12; i++) {
      planes[i] = i;
      planes[12 + i] = 100 + i;
    }
    float[] crop = ImageTensors.centerCrop(planes, 4, 3, 2, 1);
    // left = (4 - 2) / 2 = 1, top = (3 - 1) / 2 = 1: row 1, columns 1 and 2.
    assertThat(crop).containsExactly(5, 6, 105, 106);
  }

  @Test
  @DisplayName("A crop larger than the image pads it with zeros, the image centred")
  void padding() {
    float[] crop = ImageTensors.centerCrop(new float[] {1, 2, 3, 4}, 2, 2, 4, 3);
    // left = -(2 / 2) = -1, top = -(1 / 2) = 0.
    assertThat(crop).containsExactly(0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0);
  }

  @Test
  @DisplayName("Normalising rescales, subtracts the channel's mean and divides by its std")
  void normalize() {
    float[] planes = {0, 255, 255, 0, 51, 102};
    ImageTensors.normalize(
        planes, 1 / 255.0, new float[] {0.5f, 0f, 0.2f}, new float[] {0.5f, 1f, 0.2f});
    assertThat(planes[0]).isCloseTo(-1f, within(1e-6f));
    assertThat(planes[1]).isCloseTo(1f, within(1e-6f));
    assertThat(planes[2]).isCloseTo(1f, within(1e-6f));
    assertThat(planes[3]).isCloseTo(0f, within(1e-6f));
    assertThat(planes[4]).isCloseTo(0f, within(1e-6f));
    assertThat(planes[5]).isCloseTo(1f, within(1e-6f));
  }
}
