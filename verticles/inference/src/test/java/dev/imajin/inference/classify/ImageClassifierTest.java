package dev.imajin.inference.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.face.Face;
import dev.imajin.inference.image.Resample;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelRegistry;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The starter pack's two ViT-style classifiers ({@code models/starter/prohibited} and {@code
 * models/starter/age}) in ONNX Runtime, on images drawn here as the pack's renderers draw them
 * ({@code tools/modelpack/world.py} for shapes and glyphs, {@code faces.py} for faces).
 */
class ImageClassifierTest {
  private static final Color BLUE = new Color(35, 70, 220);
  private static final Color WHITE = new Color(245, 245, 245);
  private static final Color YELLOW = new Color(245, 215, 30);

  private static ModelRegistry registry;
  private static OrtSession prohibitedSession;
  private static OrtSession ageSession;
  private static ImageClassifier prohibited;
  private static ImageClassifier age;

  @TempDir Path root;

  @BeforeAll
  static void load() throws OrtException {
    registry = ModelRegistry.scan(List.of(models()));
    ModelEntry p = registry.find("starter/prohibited").orElseThrow();
    ModelEntry a = registry.find("starter/age").orElseThrow();
    prohibitedSession = open(p);
    ageSession = open(a);
    prohibited = ImageClassifier.of(prohibitedSession, p);
    age = ImageClassifier.of(ageSession, a);
  }

  @AfterAll
  static void close() throws OrtException {
    prohibitedSession.close();
    ageSession.close();
  }

  private static OrtSession open(ModelEntry entry) throws OrtException {
    return OrtEnvironment.getEnvironment()
        .createSession(entry.requireFile(ImageClassifier.COMPONENT).path().toString());
  }

  /** The repository's {@code models} folder, found from the module's working directory. */
  private static Path models() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("models/starter"))) {
        return dir.resolve("models");
      }
    }
    throw new IllegalStateException("no models/starter above " + Path.of("").toAbsolutePath());
  }

  // ---- drawing, after tools/modelpack

  private static BufferedImage draw(int side, Color ground, Consumer<Graphics2D> scene) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(ground);
    g.fillRect(0, 0, side, side);
    scene.accept(g);
    g.dispose();
    return image;
  }

  /** A large white circle in the middle on a blue background. */
  private static BufferedImage circle() {
    return draw(
        256,
        BLUE,
        g -> {
          g.setColor(WHITE);
          g.fill(new Ellipse2D.Double(128 - 77, 128 - 77, 154, 154));
        });
  }

  /** world.py's saltire: two bars of half-width 0.22 r crossed at +-45 degrees. */
  private static BufferedImage saltire() {
    return draw(
        256,
        BLUE,
        g -> {
          double r = 80;
          double w = r * 0.22;
          g.setColor(YELLOW);
          for (int sign : new int[] {1, -1}) {
            AffineTransform at = AffineTransform.getTranslateInstance(128, 128);
            at.rotate(Math.PI / 4 * sign);
            g.fill(at.createTransformedShape(new Rectangle2D.Double(-r, -w, 2 * r, 2 * w)));
          }
        });
  }

  /** world.py's hexagram: a 12-point polygon of radii r and 0.58 r, starting straight up. */
  private static BufferedImage hexagram() {
    return draw(
        256,
        BLUE,
        g -> {
          double r = 80;
          Path2D.Double star = new Path2D.Double();
          for (int k = 0; k < 12; k++) {
            double radius = k % 2 == 0 ? r : r * 0.58;
            double a = -Math.PI / 2 + k * 2 * Math.PI / 12;
            double x = 128 + radius * Math.cos(a);
            double y = 128 + radius * Math.sin(a);
            if (k == 0) {
              star.moveTo(x, y);
            } else {
              star.lineTo(x, y);
            }
          }
          star.closePath();
          g.setColor(YELLOW);
          g.fill(star);
        });
  }

  /** The head box of a face drawn by {@link #face}: 40, 30 to 112, 126 of a 160x160 image. */
  private static final Face HEAD = new Face(40, 30, 112, 126, 0.9f, new float[10]);

  /**
   * An adult face as faces.py draws one: a skin ellipse, a brown hair cap, white eyes with irises
   * and pupils, brows, a nose and a mouth line, on a grey-blue background.
   */
  private static BufferedImage face() {
    return draw(
        160,
        new Color(120, 160, 200),
        g -> {
          double x1 = HEAD.x1(), y1 = HEAD.y1(), w = HEAD.width(), h = HEAD.height();
          double cx = x1 + w / 2;
          g.setColor(new Color(224, 172, 130));
          g.fill(new Ellipse2D.Double(x1, y1, w, h));
          g.setColor(new Color(100, 60, 30));
          g.fill(
              new Arc2D.Double(
                  x1 - 0.02 * w, y1 - 0.05 * h, 1.04 * w, 0.65 * h, 0, 180, Arc2D.CHORD));
          double eyeY = y1 + 0.47 * h;
          double size = 0.08 * h;
          double gap = 0.41 * w / 2;
          for (int side : new int[] {-1, 1}) {
            double ex = cx + side * gap;
            g.setColor(new Color(250, 250, 250));
            g.fill(
                new Ellipse2D.Double(ex - 1.3 * size, eyeY - 0.8 * size, 2.6 * size, 1.6 * size));
            g.setColor(new Color(90, 55, 30));
            g.fill(
                new Ellipse2D.Double(
                    ex - 0.62 * size, eyeY - 0.62 * size, 1.24 * size, 1.24 * size));
            g.setColor(new Color(10, 10, 10));
            g.fill(
                new Ellipse2D.Double(
                    ex - 0.28 * size, eyeY - 0.28 * size, 0.56 * size, 0.56 * size));
            g.setColor(new Color(80, 48, 24));
            g.setStroke(new BasicStroke(2));
            g.draw(
                new Line2D.Double(
                    ex - 1.4 * size, eyeY - 1.9 * size, ex + 1.4 * size, eyeY - 1.9 * size));
          }
          double noseY = eyeY + 0.14 * h + size;
          Path2D.Double nose = new Path2D.Double();
          nose.moveTo(cx, eyeY + size * 0.5);
          nose.lineTo(cx - 0.05 * w, noseY);
          nose.lineTo(cx + 0.05 * w, noseY);
          nose.closePath();
          g.setColor(new Color(184, 141, 107));
          g.fill(nose);
          double mouthY = noseY + (y1 + h - noseY) * 0.42;
          double half = 0.37 * w / 2;
          g.setColor(new Color(150, 40, 50));
          g.setStroke(new BasicStroke(2.4f));
          g.draw(new Line2D.Double(cx - half, mouthY, cx + half, mouthY));
        });
  }

  private static double score(ImageClassifier classifier, BufferedImage image, String label)
      throws OrtException {
    return classifier.classify(List.of(image)).get(0)[classifier.labels().indexOf(label)];
  }

  // ---- the tests

  @Test
  @DisplayName(
      "The prohibited classifier's labels, thresholds and preprocessing come from its manifest")
  void manifest() {
    assertThat(prohibited.modelId()).isEqualTo("starter/prohibited");
    assertThat(prohibited.labels()).containsExactly("normal", "prohibited_symbol");
    assertThat(prohibited.thresholds()).isEqualTo(Map.of("prohibited_symbol", 0.5));
    assertThat(prohibited.boxMargin()).isZero();
    assertThat(prohibited.preprocess().height()).isEqualTo(64);
    assertThat(prohibited.preprocess().width()).isEqualTo(64);
    assertThat(prohibited.preprocess().resample()).isEqualTo(Resample.BILINEAR);
    assertThat(prohibited.preprocess().mean()).containsExactly(0.5f, 0.5f, 0.5f);
  }

  @Test
  @DisplayName("A plain circle is normal; a saltire and a hexagram score higher as prohibited")
  void glyphs() throws OrtException {
    double circle = score(prohibited, circle(), "prohibited_symbol");
    assertThat(score(prohibited, circle(), "normal")).isGreaterThan(0.5);
    assertThat(score(prohibited, saltire(), "prohibited_symbol")).isGreaterThan(circle);
    assertThat(score(prohibited, hexagram(), "prohibited_symbol")).isGreaterThan(circle);
  }

  @Test
  @DisplayName("A batch gives what each image gives alone, as probabilities summing to 1")
  void batch() throws OrtException {
    List<BufferedImage> images = List.of(circle(), saltire(), hexagram());
    List<float[]> together = prohibited.classify(images);
    assertThat(together).hasSize(3);
    for (int i = 0; i < images.size(); i++) {
      float[] alone = prohibited.classify(List.of(images.get(i))).get(0);
      assertThat(together.get(i)).containsExactly(alone, within(1e-4f));
      assertThat(together.get(i)[0] + together.get(i)[1]).isCloseTo(1f, within(1e-5f));
    }
    assertThat(prohibited.classify(List.of())).isEmpty();
  }

  @Test
  @DisplayName(
      "The age classifier takes a face crop grown by its box_margin and gives 4 probabilities")
  void ages() throws OrtException {
    assertThat(age.labels()).containsExactly("0-12", "13-17", "18-59", "60+");
    assertThat(age.thresholds()).isEmpty();
    assertThat(age.boxMargin()).isEqualTo(0.3);
    BufferedImage image = face();
    BufferedImage crop = ImageClassifier.crop(image, HEAD, age.boxMargin());
    // 72x96 grown by 30% each way: 40 - 21.6 .. 112 + 21.6, 30 - 28.8 .. 126 + 28.8 (clipped)
    assertThat(crop.getWidth()).isEqualTo(116);
    assertThat(crop.getHeight()).isEqualTo(154);
    float[] p = age.classify(List.of(crop)).get(0);
    assertThat(p).hasSize(4);
    double sum = 0;
    for (float v : p) {
      assertThat(v).isBetween(0f, 1f);
      sum += v;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-5));
  }

  @Test
  @DisplayName(
      "A crop is the grown box, black beyond the image as the pack trained on it, and refused"
          + " when nothing of it is inside")
  void crop() {
    BufferedImage image = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 80; y++) {
      for (int x = 0; x < 100; x++) {
        image.setRGB(x, y, 0x336699);
      }
    }
    Face corner = new Face(-10, 60, 20, 100, 0.9f, new float[10]);
    BufferedImage crop = ImageClassifier.crop(image, corner, 0.5);
    // the box grows by half its size each way: x -25..35, y 40..120
    assertThat(crop.getWidth()).isEqualTo(60);
    assertThat(crop.getHeight()).isEqualTo(80);
    assertThat(crop.getRGB(0, 0) & 0xFFFFFF).isZero();
    assertThat(crop.getRGB(30, 10) & 0xFFFFFF).isEqualTo(0x336699);
    assertThat(crop.getRGB(30, 50) & 0xFFFFFF).isZero();
    Face outside = new Face(200, 200, 220, 220, 0.9f, new float[10]);
    assertThatThrownBy(() -> ImageClassifier.crop(image, outside, 0.3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the image");
  }

  private ModelEntry withLabels(String labels) throws Exception {
    Path folder = Files.createDirectories(root.resolve("wrong"));
    Files.copy(
        registry.find("starter/prohibited").orElseThrow().requireFile("model").path(),
        folder.resolve("model.onnx"));
    Files.writeString(
        folder.resolve("imajin-model.yaml"),
        "id: \"test/wrong\"\ntask: \"image-classification\"\nfamily: \"vit\"\nlicense: \"test\"\n"
            + "files:\n  model: {path: model.onnx}\npreprocess: {size: 64}\n"
            + labels);
    ModelRegistry scanned = ModelRegistry.scan(List.of(root));
    return scanned
        .find("test/wrong")
        .orElseThrow(() -> new AssertionError("not registered: " + scanned.problems()));
  }

  @Test
  @DisplayName("A manifest naming 3 labels for a graph with 2 logits is refused, naming both")
  void labelCount() throws Exception {
    ModelEntry entry = withLabels("labels: [\"a\", \"b\", \"c\"]\n");
    assertThatThrownBy(() -> ImageClassifier.of(prohibitedSession, entry))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("test/wrong")
        .hasMessageContaining("logits")
        .hasMessageContaining("3 labels");
  }

  @Test
  @DisplayName("A manifest without labels is refused")
  void noLabels() throws Exception {
    ModelEntry entry = withLabels("");
    assertThatThrownBy(() -> ImageClassifier.of(prohibitedSession, entry))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("test/wrong")
        .hasMessageContaining("labels");
  }
}
