package dev.imajin.processing.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.processing.image.Resampler.Anchor;
import dev.imajin.processing.image.Resampler.Box;
import dev.imajin.processing.image.Resampler.Filter;
import dev.imajin.processing.image.Resampler.Mode;
import dev.imajin.processing.image.Resampler.Plan;
import dev.imajin.processing.image.Resampler.Rect;
import java.awt.image.BufferedImage;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResamplerTest {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static BufferedImage image(int w, int h, int type, IntBinaryOperator argb) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, argb.applyAsInt(x, y));
      }
    }
    return img;
  }

  private static BufferedImage checkerboard(int size) {
    return image(
        size,
        size,
        BufferedImage.TYPE_INT_RGB,
        (x, y) -> ((x + y) & 1) == 0 ? 0xFF000000 : 0xFFFFFFFF);
  }

  /** The smallest and largest value of any colour channel. */
  private static int[] channelRange(BufferedImage img) {
    int min = 255;
    int max = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          int v = (p >> shift) & 0xFF;
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return new int[] {min, max};
  }

  @ParameterizedTest
  @EnumSource(
      value = Filter.class,
      names = {"BILINEAR", "BICUBIC", "LANCZOS"})
  @DisplayName("Downscaling a one-pixel checkerboard 1024 -> 256 gives uniform grey")
  void checkerboardBecomesGrey(Filter filter) {
    BufferedImage out = Resampler.resize(checkerboard(1024), 256, 256, filter);

    assertThat(out.getWidth()).isEqualTo(256);
    assertThat(out.getHeight()).isEqualTo(256);
    assertThat(channelRange(out)).containsExactly(127, 128);
  }

  @Test
  @DisplayName("At an odd ratio Lanczos stays grey where nearest neighbour aliases")
  void noMoireAtOddRatio() {
    BufferedImage board = checkerboard(1024);

    int[] lanczos = channelRange(Resampler.resize(board, 300, 300, Filter.LANCZOS));
    int[] nearest = channelRange(Resampler.resize(board, 300, 300, Filter.NEAREST));

    assertThat(lanczos[0]).isGreaterThanOrEqualTo(125);
    assertThat(lanczos[1]).isLessThanOrEqualTo(130);
    assertThat(nearest).containsExactly(0, 255);
  }

  @ParameterizedTest
  @EnumSource(Filter.class)
  @DisplayName("A flat colour stays exactly that colour, up and down")
  void flatColourIsKept(Filter filter) {
    BufferedImage flat = image(100, 60, BufferedImage.TYPE_INT_RGB, (x, y) -> 0xFF3C7AB1);

    for (Box box : new Box[] {new Box(37, 91), new Box(250, 13)}) {
      BufferedImage out = Resampler.resize(flat, box.width(), box.height(), filter);
      assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      assertThat(out.getWidth()).isEqualTo(box.width());
      assertThat(out.getHeight()).isEqualTo(box.height());
      for (int y = 0; y < out.getHeight(); y++) {
        for (int x = 0; x < out.getWidth(); x++) {
          assertThat(out.getRGB(x, y)).isEqualTo(0xFF3C7AB1);
        }
      }
    }
  }

  @Test
  @DisplayName("The colour of transparent pixels does not bleed into visible ones")
  void transparentColourDoesNotBleed() {
    BufferedImage src =
        image(64, 8, BufferedImage.TYPE_INT_ARGB, (x, y) -> x < 32 ? 0x00FF0000 : 0xFF0000FF);

    BufferedImage out = Resampler.resize(src, 16, 2, Filter.LANCZOS);

    assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
    boolean partial = false;
    for (int x = 0; x < 16; x++) {
      int p = out.getRGB(x, 1);
      int alpha = p >>> 24;
      partial |= alpha > 0 && alpha < 255;
      if (alpha > 0) {
        assertThat(p & 0xFFFFFF).as("pixel %d", x).isEqualTo(0x0000FF);
      }
    }
    assertThat(partial).as("the edge is soft").isTrue();
    assertThat(out.getRGB(0, 0) >>> 24).isZero();
    assertThat(out.getRGB(15, 0)).isEqualTo(0xFF0000FF);
  }

  @Test
  @DisplayName("Lanczos ringing is clamped, in colour and in alpha")
  void ringingIsClamped() {
    BufferedImage step =
        image(8, 8, BufferedImage.TYPE_INT_ARGB, (x, y) -> x < 4 ? 0x00000000 : 0xFF00FF00);
    BufferedImage grey =
        image(8, 8, BufferedImage.TYPE_INT_RGB, (x, y) -> x < 4 ? 0xFF0A0A0A : 0xFFF5F5F5);

    BufferedImage up = Resampler.resize(step, 40, 8, Filter.LANCZOS);
    BufferedImage upGrey = Resampler.resize(grey, 40, 8, Filter.LANCZOS);

    for (int x = 0; x < 40; x++) {
      int p = up.getRGB(x, 4);
      if (p >>> 24 > 0) {
        assertThat(p & 0xFFFFFF).isEqualTo(0x00FF00);
      }
      int g = upGrey.getRGB(x, 4) & 0xFF;
      assertThat(upGrey.getRGB(x, 4) & 0xFFFFFF).isEqualTo(g << 16 | g << 8 | g);
      if (x < 16) {
        assertThat(g).isLessThanOrEqualTo(30);
      } else if (x >= 24) {
        assertThat(g).isGreaterThanOrEqualTo(230);
      }
    }
    assertThat(channelRange(upGrey)).containsExactly(0, 255);
    assertThat(up.getRGB(0, 0) >>> 24).isZero();
    assertThat(up.getRGB(39, 0)).isEqualTo(0xFF00FF00);
  }

  @Test
  @DisplayName("Bilinear upscaling of a gradient is monotonic; nearest replicates pixels")
  void upscaling() {
    BufferedImage ramp = image(4, 1, BufferedImage.TYPE_INT_RGB, (x, y) -> 0xFF000000 | x * 80);
    BufferedImage two =
        image(2, 2, BufferedImage.TYPE_INT_RGB, (x, y) -> x == y ? 0xFFFFFFFF : 0xFF000000);

    BufferedImage smooth = Resampler.resize(ramp, 16, 1, Filter.BILINEAR);
    BufferedImage blocks = Resampler.resize(two, 6, 6, Filter.NEAREST);

    for (int x = 1; x < 16; x++) {
      assertThat(smooth.getRGB(x, 0) & 0xFF).isGreaterThanOrEqualTo(smooth.getRGB(x - 1, 0) & 0xFF);
    }
    assertThat(smooth.getRGB(0, 0) & 0xFF).isZero();
    assertThat(smooth.getRGB(15, 0) & 0xFF).isEqualTo(240);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 6; x++) {
        assertThat(blocks.getRGB(x, y)).isEqualTo(two.getRGB(x / 3, y / 3));
      }
    }
  }

  @Test
  @DisplayName("Other image types are read correctly and come back as INT RGB; inputs are kept")
  void otherTypes() {
    BufferedImage bgr = image(20, 10, BufferedImage.TYPE_3BYTE_BGR, (x, y) -> 0xFF102030);
    BufferedImage argb =
        image(20, 10, BufferedImage.TYPE_INT_ARGB, (x, y) -> x < 10 ? 0x80FF0000 : 0xFF00FF00);
    int before = argb.getRGB(3, 3);

    BufferedImage fromBgr = Resampler.resize(bgr, 7, 3, Filter.BICUBIC);
    BufferedImage fromArgb = Resampler.resize(argb, 10, 5, Filter.NEAREST);

    assertThat(fromBgr.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(fromBgr.getRGB(3, 1)).isEqualTo(0xFF102030);
    assertThat(fromArgb.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
    assertThat(fromArgb.getRGB(0, 0)).isEqualTo(0x80FF0000);
    assertThat(argb.getRGB(3, 3)).isEqualTo(before);
  }

  @Test
  @DisplayName("Crop copies the rectangle, also from a sub-image")
  void crop() {
    BufferedImage src =
        image(50, 40, BufferedImage.TYPE_INT_RGB, (x, y) -> 0xFF000000 | x << 16 | y << 8);
    BufferedImage sub = src.getSubimage(10, 5, 30, 30);

    BufferedImage out = Resampler.crop(src, 7, 9, 20, 11);
    BufferedImage fromSub = Resampler.crop(sub, 2, 3, 4, 4);
    BufferedImage resizedSub = Resampler.resize(sub, 30, 30, Filter.LANCZOS);

    assertThat(out.getWidth()).isEqualTo(20);
    assertThat(out.getHeight()).isEqualTo(11);
    assertThat(out.getRGB(0, 0)).isEqualTo(0xFF000000 | 7 << 16 | 9 << 8);
    assertThat(out.getRGB(19, 10)).isEqualTo(0xFF000000 | 26 << 16 | 19 << 8);
    assertThat(fromSub.getRGB(0, 0)).isEqualTo(0xFF000000 | 12 << 16 | 8 << 8);
    assertThat(resizedSub.getRGB(29, 29)).isEqualTo(0xFF000000 | 39 << 16 | 34 << 8);
  }

  @Test
  @DisplayName("A crop outside the image is refused with its numbers")
  void cropOutside() {
    BufferedImage src = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);

    assertThatThrownBy(() -> Resampler.crop(src, 40, 0, 20, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("crop rectangle x=40 y=0 width=20 height=10 is not inside the 50x40 image");
    assertThatThrownBy(() -> Resampler.crop(src, -1, 0, 5, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Resampler.crop(src, 0, 0, 0, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("fit keeps the aspect inside the box; a missing side follows the aspect")
  void fit() {
    assertThat(Resampler.fit(400, 200, 100, 100, true)).isEqualTo(new Box(100, 50));
    assertThat(Resampler.fit(200, 400, 100, 100, true)).isEqualTo(new Box(50, 100));
    assertThat(Resampler.fit(400, 200, 100, null, true)).isEqualTo(new Box(100, 50));
    assertThat(Resampler.fit(400, 200, null, 100, true)).isEqualTo(new Box(200, 100));
    assertThat(Resampler.fit(333, 100, 100, null, true)).isEqualTo(new Box(100, 30));
    assertThat(Resampler.fit(1000, 1, 10, null, true)).isEqualTo(new Box(10, 1));
    assertThat(Resampler.fit(100, 50, 400, 400, true)).isEqualTo(new Box(400, 200));
    assertThat(Resampler.fit(100, 50, 400, 400, false)).isEqualTo(new Box(100, 50));
    assertThat(Resampler.fit(100, 50, 60, 400, false)).isEqualTo(new Box(60, 30));
    assertThatThrownBy(() -> Resampler.fit(100, 50, null, null, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Resampler.fit(100, 50, 0, 10, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("fill crops the source to the box's aspect at the anchor")
  void fill() {
    assertThat(Resampler.fill(400, 200, 100, 100, Anchor.CENTER, true))
        .isEqualTo(new Plan(new Rect(100, 0, 200, 200), new Box(100, 100)));
    assertThat(Resampler.fill(400, 200, 100, 100, Anchor.TOP_LEFT, true).source())
        .isEqualTo(new Rect(0, 0, 200, 200));
    assertThat(Resampler.fill(400, 200, 100, 100, Anchor.BOTTOM_RIGHT, true).source())
        .isEqualTo(new Rect(200, 0, 200, 200));
    assertThat(Resampler.fill(200, 400, 100, 50, Anchor.TOP, true).source())
        .isEqualTo(new Rect(0, 0, 200, 100));
    assertThat(Resampler.fill(200, 400, 100, 50, Anchor.CENTER, true).source())
        .isEqualTo(new Rect(0, 150, 200, 100));
    assertThat(Resampler.fill(200, 400, 100, 50, Anchor.BOTTOM_LEFT, true).source())
        .isEqualTo(new Rect(0, 300, 200, 100));
    assertThat(Resampler.fill(101, 100, 50, 50, Anchor.CENTER, true).source())
        .isEqualTo(new Rect(0, 0, 100, 100));
    assertThat(Resampler.fill(100, 50, 400, 400, Anchor.CENTER, false))
        .isEqualTo(new Plan(new Rect(25, 0, 50, 50), new Box(50, 50)));
  }

  @Test
  @DisplayName("plan gives exact sizes for fit, fill and exact")
  void plan() {
    Rect whole = new Rect(0, 0, 400, 200);

    assertThat(Resampler.plan(Mode.FIT, 400, 200, 100, 100, Anchor.CENTER, true))
        .isEqualTo(new Plan(whole, new Box(100, 50)));
    assertThat(Resampler.plan(Mode.FILL, 400, 200, 100, 100, Anchor.LEFT, true))
        .isEqualTo(new Plan(new Rect(0, 0, 200, 200), new Box(100, 100)));
    assertThat(Resampler.plan(Mode.FILL, 400, 200, 100, null, Anchor.CENTER, true))
        .isEqualTo(new Plan(whole, new Box(100, 50)));
    assertThat(Resampler.plan(Mode.EXACT, 400, 200, 100, 100, Anchor.CENTER, true))
        .isEqualTo(new Plan(whole, new Box(100, 100)));
    assertThat(Resampler.plan(Mode.EXACT, 400, 200, 800, 30, Anchor.CENTER, false))
        .isEqualTo(new Plan(whole, new Box(400, 30)));
    assertThat(Resampler.plan(Mode.EXACT, 400, 200, null, 50, Anchor.CENTER, true))
        .isEqualTo(new Plan(whole, new Box(100, 50)));
  }

  @Test
  @DisplayName("Resizing with a fill plan keeps the anchored part of the image")
  void resizeWithFillPlan() {
    BufferedImage bands =
        image(
            400,
            200,
            BufferedImage.TYPE_INT_RGB,
            (x, y) -> x < 100 ? 0xFFFF0000 : x < 300 ? 0xFF0000FF : 0xFF00FF00);

    BufferedImage centre =
        Resampler.resize(
            bands, Resampler.fill(400, 200, 50, 50, Anchor.CENTER, true), Filter.LANCZOS);
    BufferedImage left =
        Resampler.resize(
            bands, Resampler.fill(400, 200, 50, 50, Anchor.LEFT, true), Filter.LANCZOS);

    assertThat(centre.getWidth()).isEqualTo(50);
    assertThat(centre.getHeight()).isEqualTo(50);
    assertThat(centre.getRGB(0, 0)).isEqualTo(0xFF0000FF);
    assertThat(centre.getRGB(49, 49)).isEqualTo(0xFF0000FF);
    assertThat(left.getRGB(5, 25)).isEqualTo(0xFFFF0000);
    assertThat(left.getRGB(45, 25)).isEqualTo(0xFF0000FF);
  }

  @Test
  @DisplayName("A plan whose source is outside the image is refused")
  void planOutside() {
    BufferedImage src = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
    Plan plan = new Plan(new Rect(30, 0, 30, 40), new Box(10, 10));

    assertThatThrownBy(() -> Resampler.resize(src, plan, Filter.LANCZOS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("50x40");
  }
}
