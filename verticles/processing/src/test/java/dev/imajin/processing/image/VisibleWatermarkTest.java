package dev.imajin.processing.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.processing.image.Resampler.Anchor;
import dev.imajin.processing.image.VisibleWatermark.Options;
import java.awt.Color;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VisibleWatermarkTest {

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

  private static BufferedImage solid(int w, int h, int rgb) {
    return image(w, h, BufferedImage.TYPE_INT_RGB, (x, y) -> rgb);
  }

  private static Rectangle changed(BufferedImage before, BufferedImage after, Rectangle area) {
    Rectangle box = null;
    for (int y = area.y; y < area.getMaxY(); y++) {
      for (int x = area.x; x < area.getMaxX(); x++) {
        if (before.getRGB(x, y) != after.getRGB(x, y)) {
          box = box == null ? new Rectangle(x, y, 1, 1) : box.union(new Rectangle(x, y, 1, 1));
        }
      }
    }
    return box;
  }

  private static Rectangle changed(BufferedImage before, BufferedImage after) {
    return changed(before, after, new Rectangle(0, 0, before.getWidth(), before.getHeight()));
  }

  private static int maxRed(BufferedImage img) {
    int max = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        max = Math.max(max, (img.getRGB(x, y) >> 16) & 0xFF);
      }
    }
    return max;
  }

  @Test
  @DisplayName("By default one text mark, a quarter of the width, sits in the bottom-right corner")
  void singleTextMark() {
    BufferedImage black = solid(400, 300, 0xFF000000);

    BufferedImage out = VisibleWatermark.applyText(black, "imajin", Options.builder().build());

    Rectangle mark = changed(black, out);
    assertThat(mark).isNotNull();
    assertThat(mark.x).isGreaterThan(250);
    assertThat(mark.y).isGreaterThan(230);
    assertThat(mark.getMaxX()).isBetween(385.0, 396.0);
    assertThat(mark.getMaxY()).isBetween(280.0, 296.0);
    assertThat(mark.width).isCloseTo(100, within(8));
    assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(black.getRGB(390, 290)).isEqualTo(0xFF000000);
  }

  @Test
  @DisplayName("Anchor and offsets place a single mark; an explicit font size is kept")
  void placedTextMark() {
    BufferedImage black = solid(400, 300, 0xFF000000);
    Options options =
        Options.builder()
            .font("monospace", 20, false, false)
            .position(Anchor.TOP_LEFT, 10, 20)
            .build();

    Rectangle mark = changed(black, VisibleWatermark.applyText(black, "abcde", options));

    assertThat(mark.x).isBetween(10, 14);
    assertThat(mark.y).isBetween(20, 30);
    assertThat(mark.width).isCloseTo(58, within(6));
  }

  @Test
  @DisplayName("A tiled mark changes pixels all over the image")
  void tiledTextMark() {
    BufferedImage black = solid(400, 400, 0xFF000000);
    Options options = Options.builder().tile(true, 16).angle(30).build();

    BufferedImage out = VisibleWatermark.applyText(black, "imajin", options);

    for (int y = 0; y < 400; y += 100) {
      for (int x = 0; x < 400; x += 100) {
        assertThat(changed(black, out, new Rectangle(x, y, 100, 100)))
            .as("cell %d,%d", x, y)
            .isNotNull();
      }
    }
  }

  @Test
  @DisplayName("Opacity scales the mark's contribution")
  void opacity() {
    BufferedImage black = solid(400, 200, 0xFF000000);
    Options.Builder options = Options.builder().scale(0.8).position(Anchor.CENTER, 0, 0);

    int faint = maxRed(VisibleWatermark.applyText(black, "HI", options.build()));
    int half = maxRed(VisibleWatermark.applyText(black, "HI", options.opacity(0.5).build()));
    int none = maxRed(VisibleWatermark.applyText(black, "HI", options.opacity(0).build()));

    assertThat(faint).isBetween(88, 90);
    assertThat(half).isBetween(127, 128);
    assertThat(none).isZero();
  }

  @Test
  @DisplayName("A logo is scaled to the width fraction and its alpha is respected")
  void logoAlpha() {
    BufferedImage blue = solid(200, 200, 0xFF0000FF);
    BufferedImage logo =
        image(40, 20, BufferedImage.TYPE_INT_ARGB, (x, y) -> x < 20 ? 0xFFFF0000 : 0x0000FF00);
    Options options = Options.builder().opacity(1).scale(0.5).position(Anchor.CENTER, 0, 0).build();

    BufferedImage out = VisibleWatermark.applyLogo(blue, logo, options);

    Rectangle mark = changed(blue, out);
    assertThat(mark.getLocation()).isEqualTo(new Point(50, 75));
    assertThat(mark.height).isEqualTo(50);
    assertThat(mark.width).isBetween(50, 52);
    assertThat(out.getRGB(75, 100)).isEqualTo(0xFFFF0000);
    assertThat(out.getRGB(103, 100)).isEqualTo(0xFF0000FF);
    assertThat(out.getRGB(125, 100)).isEqualTo(0xFF0000FF);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 200; x++) {
        assertThat((out.getRGB(x, y) >> 8) & 0xFF).isZero();
      }
    }
  }

  @Test
  @DisplayName("A half-opaque logo blends, and rotation turns it counter-clockwise")
  void logoOpacityAndAngle() {
    BufferedImage blue = solid(200, 200, 0xFF0000FF);
    BufferedImage bar =
        image(
            80,
            10,
            BufferedImage.TYPE_INT_ARGB,
            (x, y) -> x < 10 ? 0xFF00FF00 : 0xFFFF0000); // green at the left end
    Options.Builder options =
        Options.builder().opacity(0.5).scale(0.4).position(Anchor.CENTER, 0, 0);

    BufferedImage flat = VisibleWatermark.applyLogo(blue, bar, options.build());
    BufferedImage turned = VisibleWatermark.applyLogo(blue, bar, options.angle(90).build());

    int p = flat.getRGB(100, 100);
    assertThat((p >> 16) & 0xFF).isCloseTo(128, within(2));
    assertThat(p & 0xFF).isCloseTo(127, within(2));
    Rectangle upright = changed(blue, turned);
    assertThat(upright.height).isGreaterThan(upright.width * 4);
    int bottom = turned.getRGB(100, (int) upright.getMaxY() - 3);
    assertThat((bottom >> 8) & 0xFF).as("the left end turns to the bottom").isGreaterThan(100);
  }

  @Test
  @DisplayName("A tiled logo covers the whole image with the logo's colour")
  void tiledLogo() {
    BufferedImage white = solid(300, 300, 0xFFFFFFFF);
    BufferedImage logo = image(30, 30, BufferedImage.TYPE_INT_ARGB, (x, y) -> 0xFF000000);
    Options options = Options.builder().opacity(1).scale(0.1).tile(true, 10).angle(-30).build();

    BufferedImage out = VisibleWatermark.applyLogo(white, logo, options);

    for (int y = 0; y < 300; y += 60) {
      for (int x = 0; x < 300; x += 60) {
        assertThat(changed(white, out, new Rectangle(x, y, 60, 60))).isNotNull();
      }
    }
  }

  @Test
  @DisplayName("Bad arguments are refused")
  void refused() {
    BufferedImage img = solid(10, 10, 0xFF000000);

    assertThatThrownBy(() -> VisibleWatermark.applyText(img, "  ", Options.builder().build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Options.builder().scale(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Options.builder().opacity(-0.1).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                VisibleWatermark.applyText(
                    img, "x", Options.builder().font("Nope", null, false, false).build()))
        .isInstanceOf(IllegalArgumentException.class);
    BufferedImage large = new BufferedImage(2000, 2000, BufferedImage.TYPE_INT_RGB);
    Options dust = Options.builder().font("sans-serif", 1, false, false).tile(true, 0).build();
    assertThatThrownBy(() -> VisibleWatermark.applyText(large, ".", dust))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("marks");
    assertThat(Color.WHITE).isEqualTo(Options.builder().build().color());
  }
}
