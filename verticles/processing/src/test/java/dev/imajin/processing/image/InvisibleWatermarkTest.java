package dev.imajin.processing.image;

import static dev.imajin.processing.image.InvisibleWatermark.DEFAULT_STRENGTH;
import static dev.imajin.processing.image.InvisibleWatermark.DEFAULT_THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InvisibleWatermarkTest {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final String KEY = "tenant-42-secret";

  /** Natural-looking test pictures: smooth shading, hard-edged shapes, text and mild grain. */
  enum Content {
    GRADIENT,
    SHAPES,
    LANDSCAPE,
    PORTRAIT;

    BufferedImage draw(int w, int h) {
      Random random = new Random(ordinal() * 7919L + w * 31L + h);
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      int s = Math.min(w, h);
      switch (this) {
        case GRADIENT -> {
          g.setPaint(
              new GradientPaint(0, 0, new Color(30, 60, 160), w, h, new Color(240, 200, 120)));
          g.fillRect(0, 0, w, h);
        }
        case SHAPES -> {
          g.setColor(new Color(200, 210, 190));
          g.fillRect(0, 0, w, h);
          for (int i = 0; i < 12; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            int x = random.nextInt(w);
            int y = random.nextInt(h);
            int a = s / 8 + random.nextInt(s / 3);
            if (i % 2 == 0) {
              g.fillOval(x - a / 2, y - a / 2, a, a);
            } else {
              g.fillRect(x - a / 2, y - a / 3, a, 2 * a / 3);
            }
          }
        }
        case LANDSCAPE -> {
          g.setPaint(
              new GradientPaint(0, 0, new Color(120, 170, 220), 0, h, new Color(250, 250, 240)));
          g.fillRect(0, 0, w, h);
          int[] xs = new int[20];
          int[] ys = new int[20];
          for (int i = 0; i < 18; i++) {
            xs[i] = i * w / 17;
            ys[i] = h / 2 + random.nextInt(h / 5);
          }
          xs[18] = w;
          ys[18] = h;
          ys[19] = h;
          g.setColor(new Color(60, 110, 40));
          g.fillPolygon(xs, ys, 20);
          g.setColor(new Color(250, 220, 80));
          g.fillOval(w / 5, h / 8, s / 6, s / 6);
        }
        case PORTRAIT -> {
          Color[] colours = {new Color(230, 220, 200), new Color(70, 60, 90)};
          g.setPaint(
              new RadialGradientPaint(w / 2f, h / 2f, s * 0.7f, new float[] {0, 1}, colours));
          g.fillRect(0, 0, w, h);
          g.setColor(new Color(225, 180, 150));
          g.fillOval(w / 3, h / 4, w / 3, h / 2);
          g.setColor(new Color(40, 30, 30));
          g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(8, s / 8)));
          g.drawString("imajin", w / 10, h - h / 10);
        }
      }
      g.dispose();
      return grain(img, random, 4);
    }
  }

  static Stream<Arguments> pictures() {
    return Stream.of(
        Arguments.of(Content.GRADIENT, 64, 64),
        Arguments.of(Content.SHAPES, 64, 64),
        Arguments.of(Content.LANDSCAPE, 64, 64),
        Arguments.of(Content.PORTRAIT, 64, 64),
        Arguments.of(Content.GRADIENT, 512, 512),
        Arguments.of(Content.SHAPES, 512, 512),
        Arguments.of(Content.LANDSCAPE, 512, 512),
        Arguments.of(Content.PORTRAIT, 640, 360));
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("pictures")
  @DisplayName("The mark is invisible, survives JPEG 75 and halving, and no other key finds it")
  void survivesJpegAndHalving(Content content, int width, int height) {
    BufferedImage original = content.draw(width, height);
    InvisibleWatermark.Embedded embedded =
        InvisibleWatermark.embed(original, KEY, DEFAULT_STRENGTH);
    BufferedImage marked = embedded.image();
    Map<String, InvisibleWatermark.Score> present = new LinkedHashMap<>();
    present.put("marked", InvisibleWatermark.measure(marked, KEY));
    present.put("jpeg75", InvisibleWatermark.measure(jpeg75(marked), KEY));
    present.put("half", InvisibleWatermark.measure(halfBilinear(marked), KEY));
    present.put("half+jpeg75", InvisibleWatermark.measure(jpeg75(halfBilinear(marked)), KEY));
    present.put("jpeg75+half", InvisibleWatermark.measure(halfAreaAveraging(jpeg75(marked)), KEY));
    Map<String, InvisibleWatermark.Score> absent = new LinkedHashMap<>();
    absent.put("unmarked", InvisibleWatermark.measure(original, KEY));
    absent.put("wrongKey", InvisibleWatermark.measure(marked, "tenant-43-secret"));
    absent.put(
        "wrongKey(half+jpeg75)",
        InvisibleWatermark.measure(jpeg75(halfBilinear(marked)), "another-tenant-key"));
    System.out.printf(
        "%-9s %4dx%-4d psnr=%.1f dB %s |%s%n",
        content, width, height, embedded.psnr(), describe(present), describe(absent));

    assertThat(embedded.psnr()).isGreaterThanOrEqualTo(38);
    present.forEach(
        (what, score) ->
            assertThat(score.confidence()).as(what).isGreaterThanOrEqualTo(DEFAULT_THRESHOLD));
    absent.forEach(
        (what, score) -> assertThat(score.confidence()).as(what).isLessThan(DEFAULT_THRESHOLD));
    assertThat(InvisibleWatermark.detect(marked, KEY))
        .isEqualTo(present.get("marked").confidence());
  }

  private static String describe(Map<String, InvisibleWatermark.Score> scores) {
    StringBuilder out = new StringBuilder();
    scores.forEach(
        (what, score) ->
            out.append(String.format(" %s=%.4f (z %.1f)", what, score.confidence(), score.z())));
    return out.toString();
  }

  @Test
  @DisplayName("Hundreds of random keys find nothing in unmarked or differently marked images")
  void randomKeysFindNothing() {
    BufferedImage shapes = Content.SHAPES.draw(64, 64);
    BufferedImage marked = InvisibleWatermark.embed(shapes, KEY, DEFAULT_STRENGTH).image();
    Map<String, BufferedImage> suspects = new LinkedHashMap<>();
    suspects.put("gradient", Content.GRADIENT.draw(64, 64));
    suspects.put("shapes", shapes);
    suspects.put("grey", solid(64, 64, 0x808080));
    suspects.put("marked", marked);
    suspects.put("marked+half+jpeg75", jpeg75(halfBilinear(marked)));
    suspects.put("landscape 512", Content.LANDSCAPE.draw(512, 512));
    Random random = new Random(42);
    double worst = 0;
    double sumSquares = 0;
    int trials = 0;
    for (Map.Entry<String, BufferedImage> suspect : suspects.entrySet()) {
      int keys = suspect.getValue().getWidth() > 64 ? 40 : 150;
      double worstHere = 0;
      for (int i = 0; i < keys; i++) {
        String key = Long.toHexString(random.nextLong()) + "-" + i;
        InvisibleWatermark.Score score = InvisibleWatermark.measure(suspect.getValue(), key);
        worstHere = Math.max(worstHere, score.confidence());
        sumSquares += score.z() * score.z();
        trials++;
      }
      System.out.printf(
          "random keys on %-18s: %3d keys, highest confidence %.4f%n",
          suspect.getKey(), keys, worstHere);
      worst = Math.max(worst, worstHere);
    }
    double rms = Math.sqrt(sumSquares / trials);
    System.out.printf(
        "%d wrong-key trials: z rms %.2f, highest confidence %.4f%n", trials, rms, worst);

    assertThat(worst).isLessThan(DEFAULT_THRESHOLD);
    assertThat(rms).as("null z-scores are about N(0, 1)").isBetween(0.7, 1.5);
  }

  @Test
  @DisplayName("Uniform images, even pure white and black, carry a mark through JPEG and halving")
  void uniformImages() {
    for (int rgb : new int[] {0x808080, 0xffffff, 0x000000, 0xff0000}) {
      BufferedImage flat = solid(64, 64, rgb);
      InvisibleWatermark.Embedded embedded = InvisibleWatermark.embed(flat, KEY, DEFAULT_STRENGTH);
      double processed = InvisibleWatermark.detect(jpeg75(halfBilinear(embedded.image())), KEY);
      double unmarked = InvisibleWatermark.detect(flat, KEY);
      System.out.printf(
          "flat #%06x: psnr=%.1f dB, half+jpeg75=%.4f, unmarked=%.4f%n",
          rgb, embedded.psnr(), processed, unmarked);

      assertThat(embedded.psnr()).isGreaterThanOrEqualTo(38);
      assertThat(processed).isGreaterThanOrEqualTo(DEFAULT_THRESHOLD);
      assertThat(unmarked).isLessThan(0.01);
    }
  }

  @Test
  @DisplayName("Alpha is kept exactly, the input is untouched and the mark is in the colour")
  void keepsAlphaAndInput() {
    BufferedImage rgb = Content.LANDSCAPE.draw(96, 80);
    BufferedImage argb = new BufferedImage(96, 80, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 80; y++) {
      for (int x = 0; x < 96; x++) {
        argb.setRGB(x, y, (rgb.getRGB(x, y) & 0xffffff) | ((x * 255 / 95) << 24));
      }
    }
    int[] before = argb.getRGB(0, 0, 96, 80, null, 0, 96);

    BufferedImage marked = InvisibleWatermark.embed(argb, KEY, DEFAULT_STRENGTH).image();

    assertThat(marked.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
    assertThat(argb.getRGB(0, 0, 96, 80, null, 0, 96)).isEqualTo(before);
    int[] after = marked.getRGB(0, 0, 96, 80, null, 0, 96);
    int changed = 0;
    for (int i = 0; i < after.length; i++) {
      assertThat(after[i] >>> 24).isEqualTo(before[i] >>> 24);
      changed += (after[i] & 0xffffff) != (before[i] & 0xffffff) ? 1 : 0;
    }
    assertThat(changed).isGreaterThan(after.length / 4);
    assertThat(InvisibleWatermark.detect(marked, KEY)).isGreaterThanOrEqualTo(DEFAULT_THRESHOLD);
    assertThat(InvisibleWatermark.embed(rgb, KEY, 0.5).image().getType())
        .isEqualTo(BufferedImage.TYPE_INT_RGB);
  }

  @Test
  @DisplayName("Embedding is deterministic, reports the true PSNR, and strength trades PSNR")
  void deterministicAndStrength() {
    BufferedImage img = Content.PORTRAIT.draw(128, 128);
    InvisibleWatermark.Embedded once = InvisibleWatermark.embed(img, KEY, 0.5);
    InvisibleWatermark.Embedded again = InvisibleWatermark.embed(img, KEY, 0.5);
    assertThat(pixels(again.image())).isEqualTo(pixels(once.image()));
    assertThat(once.psnr()).isCloseTo(psnr(img, once.image()), within(1e-9));

    double weak = InvisibleWatermark.embed(img, KEY, 0.05).psnr();
    double strong = InvisibleWatermark.embed(img, KEY, 1).psnr();
    System.out.printf(
        "psnr: strength 0.05 %.1f dB, 0.5 %.1f dB, 1 %.1f dB%n", weak, once.psnr(), strong);
    assertThat(weak).isGreaterThan(once.psnr());
    assertThat(once.psnr()).isGreaterThan(strong);
    assertThat(strong).isGreaterThan(32);
  }

  @Test
  @DisplayName("Images under 32x32, blank keys and strengths out of range are refused")
  void refusesBadArguments() {
    BufferedImage small = solid(31, 64, 0x808080);
    BufferedImage ok = solid(32, 32, 0x808080);
    assertThatThrownBy(() -> InvisibleWatermark.embed(small, KEY, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32x32");
    assertThatThrownBy(() -> InvisibleWatermark.detect(small, KEY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InvisibleWatermark.embed(ok, " ", 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    for (double strength : new double[] {0.04, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> InvisibleWatermark.embed(ok, KEY, strength))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("strength");
    }
    assertThat(InvisibleWatermark.detect(InvisibleWatermark.embed(ok, KEY, 0.5).image(), KEY))
        .isGreaterThanOrEqualTo(DEFAULT_THRESHOLD);
  }

  @Test
  @DisplayName("1024x1024 embeds and detects in tens of milliseconds")
  void speedOn1024() {
    BufferedImage img = Content.LANDSCAPE.draw(1024, 1024);
    BufferedImage marked = null;
    for (int i = 0; i < 5; i++) {
      marked = InvisibleWatermark.embed(img, KEY, 0.5).image();
      InvisibleWatermark.detect(marked, KEY);
    }
    int runs = 5;
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      marked = InvisibleWatermark.embed(img, KEY, 0.5).image();
    }
    long embedded = System.nanoTime();
    double confidence = 0;
    for (int i = 0; i < runs; i++) {
      confidence = InvisibleWatermark.detect(marked, KEY);
    }
    long detected = System.nanoTime();
    System.out.printf(
        "1024x1024: embed %.1f ms, detect %.1f ms%n",
        (embedded - start) / 1e6 / runs, (detected - embedded) / 1e6 / runs);
    assertThat(confidence).isGreaterThanOrEqualTo(DEFAULT_THRESHOLD);
  }

  private static BufferedImage solid(int w, int h, int rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(rgb));
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  private static BufferedImage grain(BufferedImage img, Random random, double sigma) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] px = img.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < px.length; i++) {
      int n = (int) Math.round(random.nextGaussian() * sigma);
      int p = px[i];
      px[i] =
          channel(((p >> 16) & 255) + n) << 16
              | channel(((p >> 8) & 255) + n) << 8
              | channel((p & 255) + n);
    }
    img.setRGB(0, 0, w, h, px, 0, w);
    return img;
  }

  private static int channel(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  private static double psnr(BufferedImage a, BufferedImage b) {
    int[] p = pixels(a);
    int[] q = pixels(b);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      for (int shift = 0; shift < 24; shift += 8) {
        int d = ((p[i] >> shift) & 255) - ((q[i] >> shift) & 255);
        sum += d * d;
      }
    }
    return 10 * Math.log10(255.0 * 255.0 / (sum / (3.0 * p.length)));
  }

  /** Encodes with the JDK's JPEG writer at quality 0.75 and decodes again. */
  private static BufferedImage jpeg75(BufferedImage img) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.75f);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
      return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }

  /** Half size with Java 2D's bilinear interpolation (at exactly 2:1, a 2x2 average). */
  private static BufferedImage halfBilinear(BufferedImage img) {
    BufferedImage half =
        new BufferedImage(img.getWidth() / 2, img.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = half.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, half.getWidth(), half.getHeight(), null);
    g.dispose();
    return half;
  }

  /** Half size with AWT's area-averaging filter. */
  private static BufferedImage halfAreaAveraging(BufferedImage img) {
    int w = img.getWidth() / 2;
    int h = img.getHeight() / 2;
    Image scaled = img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
    BufferedImage half = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = half.createGraphics();
    g.drawImage(scaled, 0, 0, null);
    g.dispose();
    return half;
  }
}
