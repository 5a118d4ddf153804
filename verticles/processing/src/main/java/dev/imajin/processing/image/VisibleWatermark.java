package dev.imajin.processing.image;

import dev.imajin.processing.image.Resampler.Anchor;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.LineMetrics;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Blends a visible mark, text or a logo, onto an image: once at an anchor, or tiled over the whole
 * image, optionally rotated. Thread-safe; the inputs are not changed.
 */
public final class VisibleWatermark {

  /** The largest mark, in pixels, this class renders. */
  static final long MAX_MARK_PIXELS = 1L << 26;

  /** The most marks a tiling draws. */
  static final long MAX_TILES = 1L << 16;

  private VisibleWatermark() {}

  /**
   * How the mark is drawn; see {@link #builder()} for the defaults, which are the contract's.
   *
   * @param family for text marks, a family for {@link Fonts#font}
   * @param size for text marks, the font size in pixels; null to size the mark by {@code scale}
   * @param color for text marks; its alpha is respected
   * @param opacity of the whole mark
   * @param anchor where a single mark goes (its anchor point on the image's)
   * @param offsetX moves a single mark right; null for a small inward margin
   * @param offsetY moves a single mark down; null for a small inward margin
   * @param scale the width of the (unrotated) mark as a fraction of the image width
   * @param tile repeat the mark over the whole image (anchor and offsets are ignored)
   * @param tileSpacing the gap between tiles in pixels
   * @param angle rotation in degrees, counter-clockwise
   */
  public record Options(
      String family,
      Integer size,
      boolean bold,
      boolean italic,
      Color color,
      double opacity,
      Anchor anchor,
      Integer offsetX,
      Integer offsetY,
      double scale,
      boolean tile,
      int tileSpacing,
      double angle) {

    public Options {
      Objects.requireNonNull(color, "color");
      Objects.requireNonNull(anchor, "anchor");
      if (size != null && size < 1) {
        throw new IllegalArgumentException("font size " + size + " is below 1");
      }
      if (!(opacity >= 0 && opacity <= 1)) {
        throw new IllegalArgumentException("opacity " + opacity + " is not within 0..1");
      }
      if (!(scale > 0 && scale <= 1)) {
        throw new IllegalArgumentException("scale " + scale + " is not within (0, 1]");
      }
      if (tileSpacing < 0) {
        throw new IllegalArgumentException("tile spacing " + tileSpacing + " is negative");
      }
      if (!Double.isFinite(angle)) {
        throw new IllegalArgumentException("angle " + angle + " is not a number");
      }
    }

    /** Options with the contract's defaults: white, 35% opaque, a quarter of the width. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds {@link Options}; every setter is optional. */
    public static final class Builder {
      private String family = Fonts.SANS_SERIF;
      private Integer size;
      private boolean bold;
      private boolean italic;
      private Color color = Color.WHITE;
      private double opacity = 0.35;
      private Anchor anchor = Anchor.BOTTOM_RIGHT;
      private Integer offsetX;
      private Integer offsetY;
      private double scale = 0.25;
      private boolean tile;
      private int tileSpacing = 32;
      private double angle;

      private Builder() {}

      public Builder font(String family, Integer size, boolean bold, boolean italic) {
        this.family = family;
        this.size = size;
        this.bold = bold;
        this.italic = italic;
        return this;
      }

      public Builder color(Color color) {
        this.color = color;
        return this;
      }

      public Builder opacity(double opacity) {
        this.opacity = opacity;
        return this;
      }

      public Builder position(Anchor anchor, Integer offsetX, Integer offsetY) {
        this.anchor = anchor;
        this.offsetX = offsetX;
        this.offsetY = offsetY;
        return this;
      }

      public Builder scale(double scale) {
        this.scale = scale;
        return this;
      }

      public Builder tile(boolean tile, int spacing) {
        this.tile = tile;
        this.tileSpacing = spacing;
        return this;
      }

      public Builder angle(double angle) {
        this.angle = angle;
        return this;
      }

      public Options build() {
        return new Options(
            family,
            size,
            bold,
            italic,
            color,
            opacity,
            anchor,
            offsetX,
            offsetY,
            scale,
            tile,
            tileSpacing,
            angle);
      }
    }
  }

  /**
   * Marks a copy of {@code image} with {@code text} ({@code \n} starts a new line; lines are
   * centred).
   *
   * @throws IllegalArgumentException for blank text, an unknown font family or a mark too large
   */
  public static BufferedImage applyText(BufferedImage image, String text, Options options) {
    Objects.requireNonNull(image, "image");
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("watermark text is blank");
    }
    String[] lines = text.strip().split("\\r?\\n");
    int size = options.size() != null ? options.size() : autoSize(lines, options, image.getWidth());
    Font font = Fonts.font(options.family(), size, options.bold(), options.italic());
    return composite(image, textStamp(lines, font, options), options);
  }

  /**
   * Marks a copy of {@code image} with {@code logo}, resized to {@code scale} of the image width
   * (aspect kept); the logo's alpha is respected.
   */
  public static BufferedImage applyLogo(BufferedImage image, BufferedImage logo, Options options) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(logo, "logo");
    int w = (int) Math.max(1, Math.round(options.scale() * image.getWidth()));
    long h = Math.max(1, Math.round((double) logo.getHeight() * w / logo.getWidth()));
    checkMark(w, h);
    // Lanczos's second lobe would leave a faint halo around hard alpha edges when enlarging.
    Resampler.Filter filter =
        w > logo.getWidth() ? Resampler.Filter.BICUBIC : Resampler.Filter.LANCZOS;
    BufferedImage sized = Resampler.resize(logo, w, (int) h, filter);
    return composite(image, rotate(sized, options.angle()), options);
  }

  private static int autoSize(String[] lines, Options o, int imageWidth) {
    int probe = 100;
    Font font = Fonts.font(o.family(), probe, o.bold(), o.italic());
    double widest = 0;
    for (String line : lines) {
      widest = Math.max(widest, TextOverlay.width(font, line.strip()));
    }
    if (widest <= 0) {
      return probe;
    }
    return (int) Math.max(1, Math.min(4096, Math.round(probe * o.scale() * imageWidth / widest)));
  }

  private static BufferedImage textStamp(String[] lines, Font font, Options o) {
    LineMetrics metrics = font.getLineMetrics("Mg", TextOverlay.FRC);
    double lineHeight = 1.2 * font.getSize2D();
    double[] widths = new double[lines.length];
    double blockW = 0;
    for (int i = 0; i < lines.length; i++) {
      lines[i] = lines[i].strip();
      widths[i] = TextOverlay.width(font, lines[i]);
      blockW = Math.max(blockW, widths[i]);
    }
    double blockH = metrics.getAscent() + metrics.getDescent() + (lines.length - 1) * lineHeight;
    Path2D.Double glyphs = new Path2D.Double();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      double x = (blockW - widths[i]) / 2;
      double y = metrics.getAscent() + i * lineHeight;
      TextLayout layout = new TextLayout(lines[i], font, TextOverlay.FRC);
      glyphs.append(layout.getOutline(AffineTransform.getTranslateInstance(x, y)), false);
    }
    AffineTransform turn =
        AffineTransform.getRotateInstance(-Math.toRadians(o.angle()), blockW / 2, blockH / 2);
    Shape shape = turn.createTransformedShape(glyphs);
    Rectangle2D b = shape.getBounds2D();
    int w = (int) Math.ceil(b.getWidth()) + 2;
    int h = (int) Math.ceil(b.getHeight()) + 2;
    checkMark(w, h);
    BufferedImage stamp = Resampler.newImage(w, h, true);
    Graphics2D g = stamp.createGraphics();
    TextOverlay.quality(g);
    g.translate(1 - b.getX(), 1 - b.getY());
    g.setColor(o.color());
    g.fill(shape);
    g.dispose();
    return stamp;
  }

  private static BufferedImage rotate(BufferedImage mark, double angle) {
    if (angle % 360 == 0) {
      return mark;
    }
    double w = mark.getWidth();
    double h = mark.getHeight();
    AffineTransform turn = AffineTransform.getRotateInstance(-Math.toRadians(angle), w / 2, h / 2);
    Rectangle2D b = turn.createTransformedShape(new Rectangle2D.Double(0, 0, w, h)).getBounds2D();
    int rw = (int) Math.ceil(b.getWidth()) + 2;
    int rh = (int) Math.ceil(b.getHeight()) + 2;
    checkMark(rw, rh);
    BufferedImage out = Resampler.newImage(rw, rh, true);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.translate(1 - b.getX(), 1 - b.getY());
    g.drawImage(mark, turn, null);
    g.dispose();
    return out;
  }

  private static void checkMark(long w, long h) {
    if (w * h > MAX_MARK_PIXELS) {
      throw new IllegalArgumentException(
          "the watermark would be " + w + "x" + h + " pixels; make it smaller");
    }
  }

  private static BufferedImage composite(BufferedImage image, BufferedImage stamp, Options o) {
    if (o.tile()) {
      long cols = image.getWidth() / (stamp.getWidth() + o.tileSpacing()) + 3;
      long rows = image.getHeight() / (stamp.getHeight() + o.tileSpacing()) + 3;
      if (cols * rows > MAX_TILES) {
        throw new IllegalArgumentException(
            "tiling would draw about " + cols * rows + " marks; use a larger mark or more spacing");
      }
    }
    BufferedImage out = Resampler.copy(image);
    if (o.opacity() == 0) {
      return out;
    }
    int iw = out.getWidth();
    int ih = out.getHeight();
    int sw = stamp.getWidth();
    int sh = stamp.getHeight();
    Graphics2D g = out.createGraphics();
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) o.opacity()));
    if (o.tile()) {
      tile(g, stamp, iw, ih, sw + o.tileSpacing(), sh + o.tileSpacing());
    } else {
      int margin = (int) Math.max(1, Math.round(0.02 * Math.min(iw, ih)));
      double dx = o.offsetX() != null ? o.offsetX() : margin * (1 - 2 * o.anchor().fx());
      double dy = o.offsetY() != null ? o.offsetY() : margin * (1 - 2 * o.anchor().fy());
      int x = (int) Math.round(o.anchor().x(iw, sw) + dx);
      int y = (int) Math.round(o.anchor().y(ih, sh) + dy);
      g.drawImage(stamp, x, y, null);
    }
    g.dispose();
    return out;
  }

  /** Tiles in rows offset by half a step (a brick pattern), one tile centred on the image. */
  private static void tile(
      Graphics2D g, BufferedImage stamp, int iw, int ih, int stepX, int stepY) {
    int sw = stamp.getWidth();
    int sh = stamp.getHeight();
    int cx = (iw - sw) / 2;
    int cy = (ih - sh) / 2;
    int firstRow = -Math.floorDiv(cy + sh, stepY) - 1;
    int lastRow = Math.floorDiv(ih - cy, stepY) + 1;
    for (int row = firstRow; row <= lastRow; row++) {
      int y = cy + row * stepY;
      if (y >= ih || y + sh <= 0) {
        continue;
      }
      int shift = (row & 1) == 0 ? 0 : stepX / 2;
      int x0 = cx + shift - (Math.floorDiv(cx + shift + sw, stepX) + 1) * stepX;
      for (int x = x0; x < iw; x += stepX) {
        if (x + sw > 0) {
          g.drawImage(stamp, x, y, null);
        }
      }
    }
  }
}
