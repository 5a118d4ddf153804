package dev.imajin.processing.image;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.awt.geom.AffineTransform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Fonts by family name. The families {@value #SANS_SERIF}, {@value #SERIF} and {@value #MONOSPACE}
 * are the DejaVu fonts bundled with this module, so text drawn with them looks the same on every
 * node; any other family is looked up, case-insensitively, among the fonts installed on the node.
 * The bundled files are loaded once, on first use; this class is thread-safe.
 */
public final class Fonts {

  public static final String SANS_SERIF = "sans-serif";
  public static final String SERIF = "serif";
  public static final String MONOSPACE = "monospace";

  /** Horizontal shear of the synthetic italic of the bundled families. */
  static final double ITALIC_SHEAR = -0.2;

  private Fonts() {}

  /**
   * A font of {@code sizePx} pixels (at an identity transform a point is a pixel).
   *
   * @param family a bundled family or an installed one; null means {@value #SANS_SERIF}
   * @throws IllegalArgumentException for an unknown family or a size below 1
   */
  public static Font font(String family, int sizePx, boolean bold, boolean italic) {
    if (sizePx < 1) {
      throw new IllegalArgumentException("font size " + sizePx + " is below 1 px");
    }
    String key = family == null ? SANS_SERIF : family.strip().toLowerCase(Locale.ROOT);
    Font[] bundled = Bundled.FONTS.get(key);
    if (bundled != null) {
      Font font = bundled[bold ? 1 : 0].deriveFont((float) sizePx);
      return italic ? font.deriveFont(AffineTransform.getShearInstance(ITALIC_SHEAR, 0)) : font;
    }
    String installed = Installed.FAMILIES.get(key);
    if (installed == null) {
      throw new IllegalArgumentException(
          "unknown font family '"
              + family
              + "'; bundled: "
              + SANS_SERIF
              + ", "
              + SERIF
              + ", "
              + MONOSPACE);
    }
    int style = (bold ? Font.BOLD : 0) | (italic ? Font.ITALIC : 0);
    return new Font(installed, style, sizePx);
  }

  /** True for the families that are bundled rather than looked up on the node. */
  public static boolean isBundled(String family) {
    return family == null || Bundled.FONTS.containsKey(family.strip().toLowerCase(Locale.ROOT));
  }

  /** The bundled fonts, regular and bold, loaded when this holder class is first used. */
  private static final class Bundled {
    static final Map<String, Font[]> FONTS =
        Map.of(
            SANS_SERIF, pair("DejaVuSans"),
            SERIF, pair("DejaVuSerif"),
            MONOSPACE, pair("DejaVuSansMono"));

    private static Font[] pair(String file) {
      return new Font[] {load(file + ".ttf"), load(file + "-Bold.ttf")};
    }

    private static Font load(String file) {
      String path = "fonts/" + file;
      try (InputStream in = Fonts.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("bundled font " + path + " is not on the classpath");
        }
        return Font.createFont(Font.TRUETYPE_FONT, in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read bundled font " + path, e);
      } catch (FontFormatException e) {
        throw new IllegalStateException("bundled font " + path + " is not a TrueType font", e);
      }
    }
  }

  /** The installed families by lower-case name, listed when this holder is first used. */
  private static final class Installed {
    static final Map<String, String> FAMILIES = list();

    private static Map<String, String> list() {
      String[] available;
      try {
        available = GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
      } catch (RuntimeException | LinkageError | InternalError e) {
        // A node without a usable font configuration has no installed families to offer.
        return Map.of();
      }
      Map<String, String> names = new HashMap<>();
      for (String name : available) {
        names.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      }
      return Map.copyOf(names);
    }
  }
}
