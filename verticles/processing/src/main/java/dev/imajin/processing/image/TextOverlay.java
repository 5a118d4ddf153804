package dev.imajin.processing.image;

import dev.imajin.processing.image.Resampler.Anchor;
import dev.imajin.processing.image.Resampler.Rect;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Draws a block of text onto an image: wrapped at word boundaries to a width, cut to a number of
 * lines with an ellipsis or shrunk until it fits, aligned, placed by an anchor, with an optional
 * outline (under the fill) and a blurred drop shadow, all blended at one opacity. Thread-safe; the
 * input image is not changed.
 */
public final class TextOverlay {

  /** The smallest size {@code shrinkToFit} goes down to. */
  public static final int MIN_SHRINK_SIZE = 4;

  static final FontRenderContext FRC = new FontRenderContext(null, true, true);
  private static final String ELLIPSIS = "\u2026";
  private static final Pattern COLOR = Pattern.compile("#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})");

  private TextOverlay() {}

  /** How lines are aligned inside the text block. */
  public enum Align {
    LEFT,
    CENTER,
    RIGHT
  }

  /** A stroke of {@code width} pixels around the glyphs, outside their edges, under the fill. */
  public record Outline(Color color, int width) {
    public Outline {
      Objects.requireNonNull(color, "color");
      if (width < 1) {
        throw new IllegalArgumentException("outline width " + width + " is below 1");
      }
    }
  }

  /** A drop shadow of the text (and its outline), moved and blurred by {@code blur} pixels. */
  public record Shadow(Color color, int offsetX, int offsetY, int blur) {
    public Shadow {
      Objects.requireNonNull(color, "color");
      if (blur < 0) {
        throw new IllegalArgumentException("shadow blur " + blur + " is negative");
      }
    }
  }

  /**
   * How text is drawn; see {@link #builder()} for the defaults, which are the contract's.
   *
   * @param family a family for {@link Fonts#font}
   * @param size the font size in pixels
   * @param color the fill colour; its alpha is respected
   * @param opacity applies to fill, outline and shadow together
   * @param anchor the point of the text block placed on the same point of the image
   * @param offsetX moves the block right (pixels)
   * @param offsetY moves the block down (pixels)
   * @param maxWidth the widest line in pixels; null for the image width minus |offsetX|
   * @param maxLines null for no limit
   * @param lineSpacing line height as a multiple of the font size
   * @param outline null for none
   * @param shadow null for none
   */
  public record Options(
      String family,
      int size,
      boolean bold,
      boolean italic,
      Color color,
      double opacity,
      Anchor anchor,
      int offsetX,
      int offsetY,
      Align align,
      boolean wrap,
      Integer maxWidth,
      Integer maxLines,
      double lineSpacing,
      boolean shrinkToFit,
      Outline outline,
      Shadow shadow) {

    public Options {
      Objects.requireNonNull(color, "color");
      Objects.requireNonNull(anchor, "anchor");
      Objects.requireNonNull(align, "align");
      if (size < 1) {
        throw new IllegalArgumentException("font size " + size + " is below 1");
      }
      if (!(opacity >= 0 && opacity <= 1)) {
        throw new IllegalArgumentException("opacity " + opacity + " is not within 0..1");
      }
      if (maxWidth != null && maxWidth < 1) {
        throw new IllegalArgumentException("max width " + maxWidth + " is below 1");
      }
      if (maxLines != null && maxLines < 1) {
        throw new IllegalArgumentException("max lines " + maxLines + " is below 1");
      }
      if (!(lineSpacing > 0 && lineSpacing <= 100)) {
        throw new IllegalArgumentException("line spacing " + lineSpacing + " is not positive");
      }
    }

    /** Options with the contract's defaults: 32 px white sans-serif, bottom centre. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds {@link Options}; every setter is optional. */
    public static final class Builder {
      private String family = Fonts.SANS_SERIF;
      private int size = 32;
      private boolean bold;
      private boolean italic;
      private Color color = Color.WHITE;
      private double opacity = 1;
      private Anchor anchor = Anchor.BOTTOM;
      private int offsetX;
      private int offsetY;
      private Align align = Align.CENTER;
      private boolean wrap = true;
      private Integer maxWidth;
      private Integer maxLines;
      private double lineSpacing = 1.2;
      private boolean shrinkToFit;
      private Outline outline;
      private Shadow shadow;

      private Builder() {}

      public Builder font(String family, int size, boolean bold, boolean italic) {
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

      public Builder position(Anchor anchor, int offsetX, int offsetY) {
        this.anchor = anchor;
        this.offsetX = offsetX;
        this.offsetY = offsetY;
        return this;
      }

      public Builder align(Align align) {
        this.align = align;
        return this;
      }

      public Builder wrap(boolean wrap) {
        this.wrap = wrap;
        return this;
      }

      public Builder maxWidth(Integer maxWidth) {
        this.maxWidth = maxWidth;
        return this;
      }

      public Builder maxLines(Integer maxLines) {
        this.maxLines = maxLines;
        return this;
      }

      public Builder lineSpacing(double lineSpacing) {
        this.lineSpacing = lineSpacing;
        return this;
      }

      public Builder shrinkToFit(boolean shrinkToFit) {
        this.shrinkToFit = shrinkToFit;
        return this;
      }

      public Builder outline(Outline outline) {
        this.outline = outline;
        return this;
      }

      public Builder shadow(Shadow shadow) {
        this.shadow = shadow;
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
            align,
            wrap,
            maxWidth,
            maxLines,
            lineSpacing,
            shrinkToFit,
            outline,
            shadow);
      }
    }
  }

  /**
   * What was drawn.
   *
   * @param image a new image with the text, of the input's kind (ARGB when it has alpha)
   * @param lines the lines as drawn, after wrapping and truncation
   * @param fontSize the size used, smaller than asked after shrinking
   * @param bounds the box of the text, outline and shadow included; may reach outside the image
   * @param truncated true when lines were dropped to respect {@code maxLines}
   */
  public record Result(
      BufferedImage image, List<String> lines, int fontSize, Rect bounds, boolean truncated) {
    public Result {
      lines = List.copyOf(lines);
    }
  }

  /**
   * Draws {@code text} ({@code \n} starts a new line) onto a copy of {@code image}.
   *
   * @throws IllegalArgumentException for empty text or an unknown font family
   */
  public static Result draw(BufferedImage image, String text, Options options) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(options, "options");
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("text is empty");
    }
    int iw = image.getWidth();
    int ih = image.getHeight();
    double maxWidth =
        options.maxWidth() != null
            ? options.maxWidth()
            : Math.max(1, iw - Math.abs(options.offsetX()));
    Layout layout = fitted(text.replaceFirst("[\\r\\n]+$", ""), options, maxWidth);
    Placed placed = place(layout, options, iw, ih);
    BufferedImage out = Resampler.copy(image);
    Rect b = placed.bounds();
    int x0 = Math.max(0, b.x());
    int y0 = Math.max(0, b.y());
    int x1 = (int) Math.min(iw, (long) b.x() + b.width());
    int y1 = (int) Math.min(ih, (long) b.y() + b.height());
    if (x1 > x0 && y1 > y0 && options.opacity() > 0 && !placed.glyphs().getBounds2D().isEmpty()) {
      BufferedImage layer = paint(placed.glyphs(), options, x0, y0, x1 - x0, y1 - y0);
      Graphics2D g = out.createGraphics();
      g.setComposite(
          AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) options.opacity()));
      g.drawImage(layer, x0, y0, null);
      g.dispose();
    }
    return new Result(out, layout.lines(), layout.size(), b, layout.truncated());
  }

  /**
   * Parses {@code #RRGGBB} or {@code #RRGGBBAA} (alpha last).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Color parseColor(String hex) {
    if (hex == null || !COLOR.matcher(hex).matches()) {
      throw new IllegalArgumentException("colour '" + hex + "' is not #RRGGBB or #RRGGBBAA");
    }
    long v = Long.parseLong(hex.substring(1), 16);
    if (hex.length() == 7) {
      return new Color((int) v);
    }
    return new Color(
        (int) (v >>> 24) & 0xFF, (int) (v >>> 16) & 0xFF, (int) (v >>> 8) & 0xFF, (int) v & 0xFF);
  }

  // ---- layout ----

  private record Layout(
      Font font, int size, List<String> lines, double[] widths, boolean truncated, boolean fits) {}

  private record Placed(Shape glyphs, Rect bounds) {}

  private static Layout fitted(String text, Options o, double maxWidth) {
    Layout layout = layout(text, o, o.size(), maxWidth);
    if (!o.shrinkToFit() || layout.fits() || o.size() <= MIN_SHRINK_SIZE) {
      return layout;
    }
    Layout best = null;
    int lo = MIN_SHRINK_SIZE;
    int hi = o.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Layout candidate = layout(text, o, mid, maxWidth);
      if (candidate.fits()) {
        best = candidate;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best != null ? best : layout(text, o, MIN_SHRINK_SIZE, maxWidth);
  }

  private static Layout layout(String text, Options o, int size, double maxWidth) {
    Font font = Fonts.font(o.family(), size, o.bold(), o.italic());
    List<String> lines = new ArrayList<>();
    boolean fits = true;
    for (String paragraph : text.split("\\r?\\n", -1)) {
      if (o.wrap()) {
        fits &= wrap(paragraph, font, maxWidth, lines);
      } else {
        lines.add(paragraph);
        fits &= width(font, paragraph) <= maxWidth;
      }
    }
    boolean truncated = o.maxLines() != null && lines.size() > o.maxLines();
    if (truncated) {
      lines = new ArrayList<>(lines.subList(0, o.maxLines()));
      int last = lines.size() - 1;
      String line = lines.get(last);
      double limit = o.wrap() ? maxWidth : Math.max(maxWidth, width(font, line));
      lines.set(last, ellipsize(line, font, limit));
    }
    double[] widths = new double[lines.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = width(font, lines.get(i));
    }
    return new Layout(font, size, lines, widths, truncated, fits && !truncated);
  }

  /** Greedy word wrap; returns false when a word had to be broken or is still too wide. */
  private static boolean wrap(String paragraph, Font font, double maxWidth, List<String> out) {
    boolean whole = true;
    String line = "";
    for (String word : paragraph.strip().split("\\s+")) {
      if (!line.isEmpty()) {
        String joined = line + " " + word;
        if (width(font, joined) <= maxWidth) {
          line = joined;
          continue;
        }
        out.add(line);
      }
      while (word.codePointCount(0, word.length()) > 1 && width(font, word) > maxWidth) {
        int cut = fittingPrefix(word, font, maxWidth);
        out.add(word.substring(0, cut));
        word = word.substring(cut);
        whole = false;
      }
      whole &= width(font, word) <= maxWidth;
      line = word;
    }
    out.add(line);
    return whole;
  }

  /** The char length of the longest prefix (at least one code point) within {@code maxWidth}. */
  private static int fittingPrefix(String word, Font font, double maxWidth) {
    int lo = 1;
    int hi = word.codePointCount(0, word.length()) - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (width(font, word.substring(0, word.offsetByCodePoints(0, mid))) <= maxWidth) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return word.offsetByCodePoints(0, lo);
  }

  private static String ellipsize(String line, Font font, double limit) {
    String s = line.stripTrailing();
    while (!s.isEmpty() && width(font, s + ELLIPSIS) > limit) {
      s = s.substring(0, s.offsetByCodePoints(s.length(), -1)).stripTrailing();
    }
    return s + ELLIPSIS;
  }

  static double width(Font font, String s) {
    return s.isEmpty() ? 0 : font.getStringBounds(s, FRC).getWidth();
  }

  private static Placed place(Layout layout, Options o, int iw, int ih) {
    LineMetrics metrics = layout.font().getLineMetrics("Mg", FRC);
    double ascent = metrics.getAscent();
    double lineHeight = o.lineSpacing() * layout.size();
    int n = layout.lines().size();
    double blockW = 0;
    for (double w : layout.widths()) {
      blockW = Math.max(blockW, w);
    }
    double blockH = ascent + metrics.getDescent() + (n - 1) * lineHeight;
    int pad = o.outline() == null ? 0 : o.outline().width();
    double boxW = blockW + 2 * pad;
    double boxH = blockH + 2 * pad;
    double bx = o.anchor().x(iw, boxW) + o.offsetX();
    double by = o.anchor().y(ih, boxH) + o.offsetY();
    Path2D.Double glyphs = new Path2D.Double();
    for (int i = 0; i < n; i++) {
      String line = layout.lines().get(i);
      if (line.isBlank()) {
        continue;
      }
      double slack = blockW - layout.widths()[i];
      double x =
          bx
              + pad
              + switch (o.align()) {
                case LEFT -> 0;
                case CENTER -> slack / 2;
                case RIGHT -> slack;
              };
      double baseline = by + pad + ascent + i * lineHeight;
      TextLayout tl = new TextLayout(line, layout.font(), FRC);
      glyphs.append(tl.getOutline(AffineTransform.getTranslateInstance(x, baseline)), false);
    }
    Rectangle2D all = new Rectangle2D.Double(bx, by, boxW, boxH);
    Rectangle2D ink = glyphs.getBounds2D();
    if (!ink.isEmpty()) {
      Rectangle2D visible = grow(ink, pad + 1);
      all.add(visible);
      Shadow s = o.shadow();
      if (s != null) {
        Rectangle2D shadow = grow(visible, 3 * boxRadius(s.blur()) + 1);
        all.add(
            new Rectangle2D.Double(
                shadow.getX() + s.offsetX(),
                shadow.getY() + s.offsetY(),
                shadow.getWidth(),
                shadow.getHeight()));
      }
    }
    int x = (int) Math.floor(all.getMinX());
    int y = (int) Math.floor(all.getMinY());
    Rect bounds =
        new Rect(x, y, (int) Math.ceil(all.getMaxX()) - x, (int) Math.ceil(all.getMaxY()) - y);
    return new Placed(glyphs, bounds);
  }

  private static Rectangle2D grow(Rectangle2D r, double by) {
    return new Rectangle2D.Double(
        r.getX() - by, r.getY() - by, r.getWidth() + 2 * by, r.getHeight() + 2 * by);
  }

  // ---- painting ----

  /** The text layer for the image area (x, y, w, h): shadow, outline, fill, not yet faded. */
  private static BufferedImage paint(Shape glyphsOnImage, Options o, int x, int y, int w, int h) {
    Shape glyphs =
        AffineTransform.getTranslateInstance(-x, -y).createTransformedShape(glyphsOnImage);
    BasicStroke pen =
        o.outline() == null
            ? null
            : new BasicStroke(
                2f * o.outline().width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    BufferedImage layer = Resampler.newImage(w, h, true);
    if (o.shadow() != null) {
      paintShadow(layer, glyphs, pen, o.shadow());
    }
    Graphics2D g = layer.createGraphics();
    quality(g);
    if (pen != null) {
      g.setColor(o.outline().color());
      g.setStroke(pen);
      g.draw(glyphs);
    }
    g.setColor(o.color());
    g.fill(glyphs);
    g.dispose();
    return layer;
  }

  private static void paintShadow(BufferedImage layer, Shape glyphs, BasicStroke pen, Shadow s) {
    int w = layer.getWidth();
    int h = layer.getHeight();
    BufferedImage mask = Resampler.newImage(w, h, true);
    Graphics2D g = mask.createGraphics();
    quality(g);
    g.translate(s.offsetX(), s.offsetY());
    g.setColor(Color.BLACK);
    g.fill(glyphs);
    if (pen != null) {
      g.setStroke(pen);
      g.draw(glyphs);
    }
    g.dispose();
    int[] alpha = Resampler.data(mask);
    for (int i = 0; i < alpha.length; i++) {
      alpha[i] >>>= 24;
    }
    if (s.blur() > 0) {
      boxBlur3(alpha, w, h, boxRadius(s.blur()));
    }
    int rgb = s.color().getRGB() & 0xFFFFFF;
    int ca = s.color().getAlpha();
    int[] dst = Resampler.data(layer);
    for (int i = 0; i < dst.length; i++) {
      int a = (alpha[i] * ca + 127) / 255;
      dst[i] = a == 0 ? 0 : a << 24 | rgb;
    }
  }

  /** The box radius whose three passes approximate a gaussian of sigma = blur / 2. */
  static int boxRadius(int blur) {
    return blur <= 0 ? 0 : Math.max(1, (int) Math.round(blur / 2.0));
  }

  /** Three box blurs of radius {@code r} in each direction over values 0..255 (outside is 0). */
  static void boxBlur3(int[] v, int w, int h, int r) {
    int[] line = new int[Math.max(w, h)];
    int[] sums = new int[line.length + 1];
    for (int pass = 0; pass < 3; pass++) {
      for (int y = 0; y < h; y++) {
        blurLine(v, y * w, 1, w, r, line, sums);
      }
      for (int x = 0; x < w; x++) {
        blurLine(v, x, w, h, r, line, sums);
      }
    }
  }

  private static void blurLine(int[] v, int off, int step, int n, int r, int[] line, int[] sums) {
    for (int i = 0; i < n; i++) {
      line[i] = v[off + i * step];
      sums[i + 1] = sums[i] + line[i];
    }
    int window = 2 * r + 1;
    for (int i = 0; i < n; i++) {
      int sum = sums[Math.min(n, i + r + 1)] - sums[Math.max(0, i - r)];
      v[off + i * step] = (sum + window / 2) / window;
    }
  }

  static void quality(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
  }
}
