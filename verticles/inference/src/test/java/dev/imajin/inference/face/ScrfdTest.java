package dev.imajin.inference.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScrfdTest {

  private static float[] marks(float v) {
    float[] m = new float[10];
    java.util.Arrays.fill(m, v);
    return m;
  }

  @Test
  @DisplayName(
      "Decoding places each anchor at its cell's centre and scales distances by the stride")
  void decode() {
    // stride 8, a 4-cell-wide grid of 2 rows, 2 anchors per cell: 16 anchors
    int n = 16;
    float[] scores = new float[n];
    float[] boxes = new float[4 * n];
    float[] kps = new float[10 * n];
    // anchor 11 = cell 5 (row 1, col 1), second anchor: centre (8, 8)
    scores[11] = 0.9f;
    boxes[44] = 1;
    boxes[45] = 0.5f;
    boxes[46] = 2;
    boxes[47] = 3;
    for (int k = 0; k < 5; k++) {
      kps[110 + 2 * k] = k - 2; // dx
      kps[110 + 2 * k + 1] = 0.25f * k; // dy
    }
    scores[3] = 0.49f; // below the threshold
    List<Face> faces = Scrfd.decode(List.of(new Scrfd.Level(8, 4, 2, scores, boxes, kps)), 0.5f);
    assertThat(faces).hasSize(1);
    Face f = faces.get(0);
    assertThat(f.score()).isEqualTo(0.9f);
    assertThat(new float[] {f.x1(), f.y1(), f.x2(), f.y2()}).containsExactly(0f, 4f, 24f, 32f);
    assertThat(f.landmarks()).containsExactly(-8f, 8f, 0f, 10f, 8f, 12f, 16f, 14f, 24f, 16f);
  }

  @Test
  @DisplayName("Levels of several strides decode independently, and row-major order holds")
  void strides() {
    // stride 16 grid of 3 columns, 1 anchor: anchor 4 = row 1, col 1 -> centre (16, 16)
    float[] s16 = new float[6];
    s16[4] = 0.7f;
    float[] b16 = new float[24];
    java.util.Arrays.fill(b16, 16, 20, 1f);
    // stride 32 grid of 1 column, 1 anchor: anchor 1 = row 1 -> centre (0, 32)
    float[] s32 = {0.1f, 0.8f};
    float[] b32 = {0, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f};
    List<Face> faces =
        Scrfd.decode(
            List.of(
                new Scrfd.Level(16, 3, 1, s16, b16, new float[60]),
                new Scrfd.Level(32, 1, 1, s32, b32, new float[20])),
            0.5f);
    assertThat(faces).hasSize(2);
    assertThat(faces.get(0).x1()).isEqualTo(0f);
    assertThat(faces.get(0).y2()).isEqualTo(32f);
    assertThat(faces.get(0).landmarks()).containsOnly(16f);
    assertThat(new float[] {faces.get(1).x1(), faces.get(1).y1(), faces.get(1).x2()})
        .containsExactly(-16f, 16f, 16f);
  }

  @Test
  @DisplayName("A level whose arrays disagree is refused with the sizes")
  void badLevel() {
    assertThatThrownBy(() -> new Scrfd.Level(8, 2, 2, new float[8], new float[31], new float[80]))
        .hasMessageContaining("need 32 box values");
    assertThatThrownBy(() -> new Scrfd.Level(8, 3, 2, new float[8], new float[32], new float[80]))
        .hasMessageContaining("not whole rows");
  }

  @Test
  @DisplayName("NMS keeps the best face and drops those overlapping it beyond the IoU")
  void nms() {
    Face best = new Face(0, 0, 9, 9, 0.9f, marks(0)); // 10x10 whole pixels
    Face shifted = new Face(1, 0, 10, 9, 0.8f, marks(0)); // IoU 90/110 = 0.818
    Face half = new Face(5, 0, 14, 9, 0.7f, marks(0)); // IoU with best 50/150 = 0.333
    Face apart = new Face(30, 30, 39, 39, 0.95f, marks(0));
    assertThat(Scrfd.overlap(best, shifted)).isCloseTo(90.0 / 110, within(1e-9));
    assertThat(Scrfd.overlap(best, half)).isCloseTo(50.0 / 150, within(1e-9));
    assertThat(Scrfd.overlap(best, apart)).isZero();
    assertThat(Scrfd.nms(List.of(half, shifted, best, apart), 0.4f))
        .containsExactly(apart, best, half);
    // half overlaps shifted by 60/140 = 0.43, but shifted is already dropped
    assertThat(Scrfd.nms(List.of(half, shifted, best, apart), 0.3f)).containsExactly(apart, best);
    assertThat(Scrfd.nms(List.of(), 0.4f)).isEmpty();
  }
}
