package dev.imajin.moderator.pdq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imajin.contracts.moderator.DihedralVariant;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * PDQ held to "two correct implementations fed the same pixels give identical hashes": the
 * optimised {@link Pdq} against {@link NaivePdq} on seeded random and structured images of many
 * sizes (so every window size from 1 to 8 and odd and even windows are exercised), plus the
 * properties the algorithm promises.
 */
class PdqTest {
  static int[][] image(String kind, int rows, int cols, long seed) {
    Random rnd = new Random(seed);
    int[][] px = new int[rows][cols];
    double fx = 1 + rnd.nextInt(6);
    double fy = 1 + rnd.nextInt(6);
    int cx = rnd.nextInt(cols);
    int cy = rnd.nextInt(rows);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int r;
        int g;
        int b;
        switch (kind) {
          case "noise" -> {
            r = rnd.nextInt(256);
            g = rnd.nextInt(256);
            b = rnd.nextInt(256);
          }
          case "waves" -> {
            // not separable, so the coefficients near the median are not exact ties
            double u = (double) i / rows;
            double w = (double) j / cols;
            double v = Math.sin(fx * 3.1 * (u + 0.7 * w) + fy) * Math.cos(fy * 2.3 * (w - 0.4 * u));
            r = clamp((int) (127.5 + 110 * v) + rnd.nextInt(9) - 4);
            g = clamp((int) (127.5 + 100 * Math.sin(7 * u * w + fx)) + rnd.nextInt(9) - 4);
            b = clamp((int) (255 * u * w) + rnd.nextInt(9) - 4);
          }
          case "shapes" -> {
            double d = Math.hypot(i - cy, j - cx);
            boolean in = d < Math.min(rows, cols) / 3.0;
            boolean stripe = ((i / Math.max(1, rows / 8)) + (j / Math.max(1, cols / 5))) % 2 == 0;
            // flat regions plus a little noise: exact ties in a flat image are decided by rounding
            r = clamp((in ? 230 : stripe ? 40 : 120) + rnd.nextInt(9) - 4);
            g = clamp((in ? 30 : stripe ? 200 : 90) + rnd.nextInt(9) - 4);
            b = clamp((j * 255) / cols + rnd.nextInt(9) - 4);
          }
          default -> throw new IllegalArgumentException(kind);
        }
        px[i][j] = r << 16 | g << 8 | b;
      }
    }
    return px;
  }

  static BufferedImage buffered(int[][] px) {
    BufferedImage img = new BufferedImage(px[0].length, px.length, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < px.length; i++) {
      img.setRGB(0, i, px[0].length, 1, px[i], 0, px[0].length);
    }
    return img;
  }

  static boolean[] bits(Hash256 h) {
    boolean[] b = new boolean[256];
    for (int k = 0; k < 256; k++) {
      b[k] = h.bit(k);
    }
    return b;
  }

  @Test
  void optimisedAndNaiveGiveIdenticalHashesAndQuality() {
    int[][] sizes = {
      {64, 64},
      {5, 5},
      {7, 300},
      {64, 65},
      {100, 100},
      {129, 257},
      {200, 333},
      {256, 256},
      {300, 200},
      {385, 130},
      {512, 512},
      {640, 480},
      {1000, 1001}
    };
    int compared = 0;
    long seed = 1;
    for (int[] size : sizes) {
      for (String kind : List.of("noise", "waves", "shapes")) {
        int[][] px = image(kind, size[0], size[1], seed++);
        Pdq.Result fast = Pdq.hash(buffered(px), false);
        NaivePdq.Out slow = NaivePdq.hash(NaivePdq.luma(px, false));
        String what = kind + " " + size[0] + "x" + size[1];
        assertArrayEquals(slow.bits(), bits(fast.hash()), what);
        assertEquals(slow.quality(), fast.quality(), what);
        compared++;
      }
    }
    assertEquals(sizes.length * 3, compared);
  }

  @Test
  void manySeededRandomImagesAgree() {
    Random sizes = new Random(42);
    for (int n = 0; n < 60; n++) {
      int rows = 20 + sizes.nextInt(300);
      int cols = 20 + sizes.nextInt(300);
      String kind = List.of("noise", "waves", "shapes").get(n % 3);
      int[][] px = image(kind, rows, cols, 1000 + n);
      Pdq.Result fast = Pdq.hash(buffered(px), false);
      NaivePdq.Out slow = NaivePdq.hash(NaivePdq.luma(px, false));
      String what = kind + " " + rows + "x" + cols + " seed " + (1000 + n);
      assertArrayEquals(slow.bits(), bits(fast.hash()), what);
      assertEquals(slow.quality(), fast.quality(), what);
    }
  }

  @Test
  void dihedralVariantsAreTheHashesOfTheTransformedImage() {
    for (long seed = 1; seed <= 6; seed++) {
      int[][] px = image(seed % 2 == 0 ? "waves" : "shapes", 64, 64, seed);
      Pdq.Result fast = Pdq.hash(buffered(px), false);
      double[][] luma = NaivePdq.luma(px, false);
      for (DihedralVariant v : DihedralVariant.values()) {
        String name = v.name().toLowerCase(Locale.ROOT);
        double[][] moved = NaivePdq.dihedral(luma, name);
        // the naive hash of the transformed pixels, in double precision
        assertArrayEquals(
            NaivePdq.hash(moved).bits(), bits(fast.variant(v)), name + " seed " + seed);
        // and the optimised hash of the transformed luma, up to float rounding near the median
        float[] movedLuma = transformed(Pdq.luma(buffered(px), false), name);
        int d = Pdq.hashLuma(movedLuma, 64, 64).hash().distance(fast.variant(v));
        assertTrue(d <= 4, name + " differs by " + d);
      }
      assertEquals(fast.hash(), fast.variant(DihedralVariant.ORIGINAL));
    }
  }

  static float[] transformed(float[] luma, String variant) {
    double[][] m = new double[64][64];
    for (int k = 0; k < 64 * 64; k++) {
      m[k / 64][k % 64] = luma[k];
    }
    double[][] t = NaivePdq.dihedral(m, variant);
    float[] out = new float[64 * 64];
    for (int k = 0; k < 64 * 64; k++) {
      out[k] = (float) t[k / 64][k % 64];
    }
    return out;
  }

  @Test
  void theRotate90VariantOfALargerImageIsNearestToItsRotation() {
    int[][] px = image("waves", 300, 200, 9);
    BufferedImage img = buffered(px);
    Pdq.Result r = Pdq.hash(img, false);
    BufferedImage rot = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 200; x++) {
        // counter-clockwise: new (row = 199 - x, col = y) <- old (y, x)
        rot.setRGB(y, 199 - x, img.getRGB(x, y));
      }
    }
    Pdq.Result rotated = Pdq.hash(rot, false);
    // the box windows (3 and 2 pixels) and the cell centres are not mirror-symmetric on a
    // 300x200 image, so the match is near, not exact; every other variant is far
    int near = rotated.hash().distance(r.variant(DihedralVariant.ROTATE_90));
    assertTrue(near <= 40, "rotate_90 " + near + " bits");
    for (DihedralVariant v : DihedralVariant.values()) {
      if (v != DihedralVariant.ROTATE_90) {
        int far = rotated.hash().distance(r.variant(v));
        assertTrue(far >= near + 40, v + " " + far + " bits, rotate_90 " + near);
      }
    }
  }

  @Test
  void identicalInputGivesDistanceZeroNoiseSmallUnrelatedLarge() {
    int[][] px = image("shapes", 400, 300, 3);
    Hash256 a = Pdq.hash(buffered(px), false).hash();
    assertEquals(0, a.distance(Pdq.hash(buffered(px), false).hash()));
    Random rnd = new Random(5);
    int[][] noisy = new int[px.length][px[0].length];
    for (int i = 0; i < px.length; i++) {
      for (int j = 0; j < px[0].length; j++) {
        int p = px[i][j];
        int r = clamp((p >> 16 & 255) + rnd.nextInt(11) - 5);
        int g = clamp((p >> 8 & 255) + rnd.nextInt(11) - 5);
        int b = clamp((p & 255) + rnd.nextInt(11) - 5);
        noisy[i][j] = r << 16 | g << 8 | b;
      }
    }
    int small = a.distance(Pdq.hash(buffered(noisy), false).hash());
    assertTrue(small <= 16, "noise moved " + small + " bits");
    int far = a.distance(Pdq.hash(buffered(image("waves", 400, 300, 77)), false).hash());
    assertTrue(far >= 70, "unrelated images only " + far + " bits apart");
  }

  static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  @Test
  void aHashHasHalfItsBitsSetAndQualityIsBounded() {
    Pdq.Result flat = Pdq.hash(buffered(uniform(100, 100, 0x808080)), false);
    assertEquals(0, flat.quality());
    Pdq.Result busy = Pdq.hash(buffered(image("noise", 64, 64, 8)), false);
    assertEquals(100, busy.quality());
    assertEquals(128, Pdq.hash(buffered(image("waves", 99, 170, 2)), false).hash().bitCount());
  }

  static int[][] uniform(int rows, int cols, int rgb) {
    int[][] px = new int[rows][cols];
    for (int[] row : px) {
      java.util.Arrays.fill(row, rgb);
    }
    return px;
  }

  @Test
  void imagesBelowFivePixelsHashToZeroWithQualityZero() {
    Pdq.Result r = Pdq.hash(buffered(image("noise", 4, 100, 1)), false);
    assertEquals("0".repeat(64), r.hash().toHex());
    assertEquals(0, r.quality());
  }

  @Test
  void hexFormIsBigEndianAndRoundTrips() {
    boolean[] low = new boolean[256];
    low[0] = true;
    assertEquals("0".repeat(63) + "1", Hash256.fromBits(low).toHex());
    boolean[] high = new boolean[256];
    high[255] = true;
    assertEquals("8" + "0".repeat(63), Hash256.fromBits(high).toHex());
    boolean[] word1 = new boolean[256];
    word1[16] = true; // the reference's slot 1, bit 0: the second 4-digit group from the right
    assertEquals("0".repeat(59) + "10000", Hash256.fromBits(word1).toHex());
    Random rnd = new Random(11);
    for (int n = 0; n < 200; n++) {
      Hash256 h = Hash256.of(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
      assertEquals(h, Hash256.fromHex(h.toHex()));
      assertEquals(h, Hash256.fromHex(h.toHex().toUpperCase(Locale.ROOT)));
      for (int k = 0; k < 256; k += 37) {
        int digit = Character.digit(h.toHex().charAt(63 - k / 4), 16);
        assertEquals((digit >> (k % 4) & 1) == 1, h.bit(k));
      }
      assertEquals(h.chunk(0), Integer.parseInt(h.toHex().substring(60), 16));
      assertEquals(h.chunk(15), Integer.parseInt(h.toHex().substring(0, 4), 16));
    }
    assertThrows(IllegalArgumentException.class, () -> Hash256.fromHex("abc"));
    assertThrows(IllegalArgumentException.class, () -> Hash256.fromHex("g".repeat(64)));
    assertFalse(Hash256.isHex(" ".repeat(64)));
  }

  @Test
  void greyPngIsHashedFromItsSamples() throws Exception {
    int rows = 150;
    int cols = 210;
    BufferedImage grey = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
    int[][] px = image("waves", rows, cols, 4);
    float[] luma = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int v = px[i][j] >> 16 & 255;
        grey.getRaster().setSample(j, i, 0, v);
        luma[i * cols + j] = v;
      }
    }
    byte[] png = encode(grey, "png");
    assertTrue(PdqImages.isGrey(png));
    Pdq.Result fromFile = PdqImages.hash(png, 1L << 30);
    Pdq.Result fromSamples = Pdq.hashLuma(luma, rows, cols);
    assertEquals(fromSamples.hash(), fromFile.hash());
    assertEquals(fromSamples.quality(), fromFile.quality());
    assertTrue(PdqImages.isGrey(encode(grey, "jpeg")));
    assertFalse(PdqImages.isGrey(encode(buffered(px), "png")));
    assertFalse(PdqImages.isGrey(encode(buffered(px), "jpeg")));
  }

  @Test
  void colourPngIsHashedLosslessly() throws Exception {
    int[][] px = image("shapes", 120, 90, 6);
    Pdq.Result direct = Pdq.hash(buffered(px), false);
    Pdq.Result file = PdqImages.hash(encode(buffered(px), "png"), 1L << 30);
    assertEquals(direct.hash(), file.hash());
    assertEquals(direct.quality(), file.quality());
  }

  static byte[] encode(BufferedImage img, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out));
    return out.toByteArray();
  }
}
