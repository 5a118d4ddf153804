package dev.imajin.processing.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FontsTest {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  @DisplayName("The generic families are the bundled DejaVu fonts, at the asked pixel size")
  void bundledFamilies() {
    assertThat(Fonts.font("sans-serif", 17, false, false).getFamily()).isEqualTo("DejaVu Sans");
    assertThat(Fonts.font("serif", 17, false, false).getFamily()).isEqualTo("DejaVu Serif");
    assertThat(Fonts.font("monospace", 17, false, false).getFamily()).isEqualTo("DejaVu Sans Mono");
    assertThat(Fonts.font(null, 17, false, false).getFamily()).isEqualTo("DejaVu Sans");
    assertThat(Fonts.font("Sans-Serif", 17, false, false).getSize2D()).isEqualTo(17f);
    assertThat(Fonts.isBundled("MONOSPACE")).isTrue();
    assertThat(Fonts.isBundled("Dialog")).isFalse();
  }

  @Test
  @DisplayName("Bold is the bundled bold face; italic is a synthetic shear")
  void styles() {
    Font bold = Fonts.font("serif", 20, true, false);
    Font italic = Fonts.font("sans-serif", 20, false, true);

    assertThat(bold.getFontName()).isEqualTo("DejaVu Serif Bold");
    assertThat(italic.isTransformed()).isTrue();
    assertThat(italic.getTransform().getShearX()).isEqualTo(Fonts.ITALIC_SHEAR);
    assertThat(Fonts.font("sans-serif", 20, false, false).isTransformed()).isFalse();
  }

  @Test
  @DisplayName("Other families are looked up among the installed fonts, ignoring case")
  void installedFamily() {
    assumeThat(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames())
        .contains("Dialog");
    assertThat(Fonts.font("DIALOG", 12, true, false).getFamily()).isEqualTo("Dialog");
    assertThat(Fonts.font("dialog", 12, true, false).isBold()).isTrue();
  }

  @Test
  @DisplayName("An unknown family or a size below 1 is refused")
  void refused() {
    assertThatThrownBy(() -> Fonts.font("No Such Font 42", 12, false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown font family 'No Such Font 42'; bundled: sans-serif, serif, monospace");
    assertThatThrownBy(() -> Fonts.font("serif", 0, false, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("Concurrent first uses all get the bundled font")
  void concurrentUse() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> calls =
          IntStream.range(0, 32)
              .<Callable<String>>mapToObj(
                  i -> () -> Fonts.font("monospace", 8 + i, i % 2 == 0, false).getFamily())
              .toList();
      for (Future<String> family : pool.invokeAll(calls)) {
        assertThat(family.get()).isEqualTo("DejaVu Sans Mono");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
