package dev.imajin.processing.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.processing.image.Resampler.Anchor;
import dev.imajin.processing.image.Resampler.Rect;
import dev.imajin.processing.image.TextOverlay.Align;
import dev.imajin.processing.image.TextOverlay.Options;
import dev.imajin.processing.image.TextOverlay.Outline;
import dev.imajin.processing.image.TextOverlay.Result;
import dev.imajin.processing.image.TextOverlay.Shadow;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TextOverlayTest {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static BufferedImage solid(int w, int h, int argb) {
    boolean alpha = argb >>> 24 != 0xFF;
    BufferedImage img =
        new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, argb);
      }
    }
    return img;
  }

  /** The bounding box of the pixels that match, or null when none does. */
  private static Rectangle where(BufferedImage img, IntPredicate argb) {
    Rectangle box = null;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (argb.test(img.getRGB(x, y))) {
          box = box == null ? new Rectangle(x, y, 1, 1) : box.union(new Rectangle(x, y, 1, 1));
        }
      }
    }
    return box;
  }

  private static int count(BufferedImage img, IntPredicate argb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += argb.test(img.getRGB(x, y)) ? 1 : 0;
      }
    }
    return n;
  }

  private static Rectangle changed(BufferedImage before, BufferedImage after) {
    Rectangle box = null;
    for (int y = 0; y < before.getHeight(); y++) {
      for (int x = 0; x < before.getWidth(); x++) {
        if (before.getRGB(x, y) != after.getRGB(x, y)) {
          box = box == null ? new Rectangle(x, y, 1, 1) : box.union(new Rectangle(x, y, 1, 1));
        }
      }
    }
    return box;
  }

  private static Rectangle awt(Rect r) {
    return new Rectangle(r.x(), r.y(), r.width(), r.height());
  }

  private static int red(int argb) {
    return (argb >> 16) & 0xFF;
  }

  private static int green(int argb) {
    return (argb >> 8) & 0xFF;
  }

  private static int blue(int argb) {
    return argb & 0xFF;
  }

  private static Options.Builder mono10(int maxWidth) {
    return Options.builder().font("monospace", 10, false, false).maxWidth(maxWidth);
  }

  @Test
  @DisplayName("Text placed bottom-centre appears there, and only inside the returned bounds")
  void bottomCentre() {
    BufferedImage grey = solid(300, 200, 0xFF808080);
    Options options =
        Options.builder()
            .font("sans-serif", 20, false, false)
            .color(Color.RED)
            .position(Anchor.BOTTOM, 0, -10)
            .build();

    Result result = TextOverlay.draw(grey, "Hello", options);

    Rectangle ink = changed(grey, result.image());
    assertThat(ink).isNotNull();
    assertThat(awt(result.bounds()).contains(ink))
        .as("%s inside %s", ink, result.bounds())
        .isTrue();
    assertThat(result.bounds().y() + result.bounds().height()).isEqualTo(190);
    assertThat(ink.getCenterX()).isCloseTo(150, within(3.0));
    assertThat(ink.getMaxY()).isBetween(176.0, 190.0);
    assertThat(ink.height).isBetween(12, 18);
    assertThat(where(result.image(), p -> red(p) > 200 && green(p) < 40)).isNotNull();
    assertThat(result.lines()).containsExactly("Hello");
    assertThat(result.fontSize()).isEqualTo(20);
    assertThat(result.truncated()).isFalse();
    assertThat(grey.getRGB(150, 185)).isEqualTo(0xFF808080);
  }

  @Test
  @DisplayName("Lines wrap at word boundaries within max_width; a long word breaks by characters")
  void wrapping() {
    BufferedImage img = solid(200, 200, 0xFF000000);

    Result words = TextOverlay.draw(img, "one two three four five", mono10(60).build());
    Result word = TextOverlay.draw(img, "abcdefghijklmnop", mono10(60).build());
    Result paragraphs = TextOverlay.draw(img, "one\ntwo three\n", mono10(200).build());
    Result unwrapped =
        TextOverlay.draw(img, "one two three four five", mono10(60).wrap(false).build());

    assertThat(words.lines()).containsExactly("one two", "three", "four five");
    assertThat(word.lines()).containsExactly("abcdefghi", "jklmnop");
    assertThat(paragraphs.lines()).containsExactly("one", "two three");
    assertThat(unwrapped.lines()).containsExactly("one two three four five");
  }

  @Test
  @DisplayName("The default max width is the image width minus the horizontal offset")
  void defaultMaxWidth() {
    BufferedImage img = solid(70, 100, 0xFF000000);
    Options options =
        Options.builder().font("monospace", 10, false, false).position(Anchor.LEFT, -10, 0).build();

    Result result = TextOverlay.draw(img, "one two three four five", options);

    assertThat(result.lines()).containsExactly("one two", "three", "four five");
  }

  @Test
  @DisplayName("max_lines drops the extra lines and ends the last one with an ellipsis that fits")
  void maxLines() {
    BufferedImage img = solid(200, 100, 0xFF000000);

    Result two = TextOverlay.draw(img, "one two three four five", mono10(60).maxLines(2).build());
    Result one = TextOverlay.draw(img, "one two three", mono10(45).maxLines(1).build());

    assertThat(two.lines()).containsExactly("one two", "three\u2026");
    assertThat(two.truncated()).isTrue();
    assertThat(one.lines()).containsExactly("one tw\u2026");
    assertThat(TextOverlay.width(Fonts.font("monospace", 10, false, false), one.lines().get(0)))
        .isLessThanOrEqualTo(45);
  }

  @Test
  @DisplayName("shrink_to_fit reduces the size until nothing is broken or dropped")
  void shrinkToFit() {
    BufferedImage img = solid(300, 100, 0xFF000000);
    Options.Builder big = Options.builder().font("monospace", 40, false, false).maxWidth(200);
    Options.Builder oneLine =
        Options.builder().font("monospace", 20, false, false).maxWidth(100).maxLines(1);

    Result word = TextOverlay.draw(img, "Supercalifragilistic", big.shrinkToFit(true).build());
    Result kept = TextOverlay.draw(img, "one two three four", oneLine.build());
    Result shrunk = TextOverlay.draw(img, "one two three four", oneLine.shrinkToFit(true).build());
    Result floor =
        TextOverlay.draw(
            img, "x".repeat(200), big.maxWidth(50).maxLines(1).shrinkToFit(true).build());

    assertThat(word.fontSize()).isEqualTo(16);
    assertThat(word.lines()).containsExactly("Supercalifragilistic");
    assertThat(kept.truncated()).isTrue();
    assertThat(shrunk.fontSize()).isEqualTo(9);
    assertThat(shrunk.lines()).containsExactly("one two three four");
    assertThat(shrunk.truncated()).isFalse();
    assertThat(floor.fontSize()).isEqualTo(TextOverlay.MIN_SHRINK_SIZE);
    assertThat(floor.truncated()).isTrue();
  }

  @Test
  @DisplayName("An outline of its own colour surrounds the glyphs")
  void outline() {
    BufferedImage black = solid(200, 100, 0xFF000000);
    Options.Builder options =
        Options.builder()
            .font("sans-serif", 40, true, false)
            .color(Color.RED)
            .position(Anchor.CENTER, 0, 0);

    Result plain = TextOverlay.draw(black, "HI", options.build());
    Result outlined =
        TextOverlay.draw(black, "HI", options.outline(new Outline(Color.BLUE, 3)).build());

    IntPredicate isBlue = p -> blue(p) > 200 && red(p) < 40 && green(p) < 40;
    IntPredicate isRed = p -> red(p) > 200 && blue(p) < 40 && green(p) < 40;
    assertThat(count(plain.image(), isBlue)).isZero();
    assertThat(count(outlined.image(), isBlue)).isGreaterThan(100);
    assertThat(count(outlined.image(), isRed)).isGreaterThan(100);
    Rectangle blueBox = where(outlined.image(), isBlue);
    Rectangle redBox = where(outlined.image(), isRed);
    assertThat(blueBox.contains(redBox)).isTrue();
    assertThat(blueBox.x).isBetween(redBox.x - 4, redBox.x - 2);
    assertThat(blueBox.getMaxX()).isBetween(redBox.getMaxX() + 2, redBox.getMaxX() + 4);
    assertThat(awt(outlined.bounds()).contains(changed(black, outlined.image()))).isTrue();
  }

  @Test
  @DisplayName("Opacity 0.5 blends the text half-way into the image")
  void opacity() {
    BufferedImage black = solid(200, 100, 0xFF000000);
    Options options =
        Options.builder()
            .font("sans-serif", 60, true, false)
            .color(Color.WHITE)
            .opacity(0.5)
            .position(Anchor.CENTER, 0, 0)
            .build();

    Result result = TextOverlay.draw(black, "HI", options);

    assertThat(count(result.image(), p -> red(p) > 130)).isZero();
    assertThat(count(result.image(), p -> red(p) >= 126 && red(p) <= 129)).isGreaterThan(200);
  }

  @Test
  @DisplayName("A shadow is offset, blurred on request, and inside the bounds")
  void shadow() {
    BufferedImage white = solid(200, 100, 0xFFFFFFFF);
    Options.Builder options =
        Options.builder().font("sans-serif", 40, true, false).position(Anchor.CENTER, 0, 0);

    Rectangle glyphs =
        changed(white, TextOverlay.draw(white, "HI", options.color(Color.BLACK).build()).image());
    options.color(Color.WHITE);
    Result sharp =
        TextOverlay.draw(white, "HI", options.shadow(new Shadow(Color.BLACK, 6, 6, 0)).build());
    Result soft =
        TextOverlay.draw(white, "HI", options.shadow(new Shadow(Color.BLACK, 6, 6, 6)).build());

    Rectangle sharpBox = changed(white, sharp.image());
    Rectangle softBox = changed(white, soft.image());
    assertThat(sharpBox.getMaxX()).isCloseTo(glyphs.getMaxX() + 6, within(1.0));
    assertThat(sharpBox.getMaxY()).isCloseTo(glyphs.getMaxY() + 6, within(1.0));
    assertThat(softBox.getMaxX()).isGreaterThan(sharpBox.getMaxX() + 2);
    assertThat(count(soft.image(), p -> red(p) < 20))
        .isLessThan(count(sharp.image(), p -> red(p) < 20));
    assertThat(awt(sharp.bounds()).contains(sharpBox)).isTrue();
    assertThat(awt(soft.bounds()).contains(softBox)).isTrue();
  }

  @Test
  @DisplayName("Lines align left, centre or right inside the block")
  void alignment() {
    BufferedImage black = solid(300, 100, 0xFF000000);
    Options.Builder options =
        Options.builder().font("monospace", 20, false, false).position(Anchor.CENTER, 0, 0);

    Result left = TextOverlay.draw(black, "HH\nHHHHHH", options.align(Align.LEFT).build());
    Result right = TextOverlay.draw(black, "HH\nHHHHHH", options.align(Align.RIGHT).build());

    Rectangle leftTop = where(left.image().getSubimage(0, 0, 300, 50), p -> p != 0xFF000000);
    Rectangle leftBottom = where(left.image().getSubimage(0, 50, 300, 50), p -> p != 0xFF000000);
    Rectangle rightTop = where(right.image().getSubimage(0, 0, 300, 50), p -> p != 0xFF000000);
    Rectangle rightBottom = where(right.image().getSubimage(0, 50, 300, 50), p -> p != 0xFF000000);
    assertThat(leftTop.x).isCloseTo(leftBottom.x, within(1));
    assertThat(leftTop.width).isLessThan(leftBottom.width / 2);
    assertThat(rightTop.getMaxX()).isCloseTo(rightBottom.getMaxX(), within(1.0));
  }

  @Test
  @DisplayName("A transparent image stays ARGB and gets opaque text; the input is not changed")
  void transparentInput() {
    BufferedImage clear = solid(100, 60, 0x00000000);

    Result result =
        TextOverlay.draw(
            clear,
            "HI",
            Options.builder()
                .font("serif", 30, true, false)
                .color(TextOverlay.parseColor("#00FF00"))
                .position(Anchor.CENTER, 0, 0)
                .build());

    assertThat(result.image().getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
    assertThat(count(result.image(), p -> p == 0xFF00FF00)).isGreaterThan(20);
    assertThat(result.image().getRGB(0, 0)).isZero();
    assertThat(count(clear, p -> p != 0)).isZero();
  }

  @Test
  @DisplayName("Text placed outside the image leaves it as it was")
  void outside() {
    BufferedImage black = solid(100, 60, 0xFF000000);

    Result result =
        TextOverlay.draw(black, "far", Options.builder().position(Anchor.LEFT, 500, 0).build());

    assertThat(changed(black, result.image())).isNull();
    assertThat(result.bounds().x()).isGreaterThan(100);
  }

  @Test
  @DisplayName("Colours parse as #RRGGBB or #RRGGBBAA; bad arguments are refused")
  void colorsAndErrors() {
    BufferedImage img = solid(10, 10, 0xFF000000);

    assertThat(TextOverlay.parseColor("#FF8000")).isEqualTo(new Color(255, 128, 0));
    assertThat(TextOverlay.parseColor("#ff800040")).isEqualTo(new Color(255, 128, 0, 64));
    assertThatThrownBy(() -> TextOverlay.parseColor("#FF80"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TextOverlay.draw(img, "", Options.builder().build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                TextOverlay.draw(
                    img, "x", Options.builder().font("Nope Sans", 10, false, false).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown font family 'Nope Sans'");
    assertThatThrownBy(() -> Options.builder().opacity(1.5).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
