package dev.imajin.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.face.Face;
import dev.imajin.inference.face.FaceDetector;
import dev.imajin.inference.face.FaceEmbedder;
import dev.imajin.inference.image.Resize;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelRegistry;
import io.vertx.core.json.JsonArray;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The inference module's face classes on the shipped starter pack and the committed fixtures,
 * without a service: detection against the renderer's true boxes and landmarks, and embeddings that
 * tell the three people apart at the manifest's threshold.
 */
class StarterFacesTest {
  private static OrtSession detectorSession;
  private static OrtSession embedderSession;
  private static FaceDetector detector;
  private static FaceEmbedder embedder;
  private static double threshold;

  @BeforeAll
  static void load() throws OrtException {
    ModelRegistry registry = ModelRegistry.scan(List.of(Faces.models()));
    ModelEntry det = registry.find("starter/face-detector").orElseThrow();
    ModelEntry emb = registry.find("starter/face-embedder").orElseThrow();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    detectorSession = env.createSession(det.requireFile("model").path().toString());
    embedderSession = env.createSession(emb.requireFile("model").path().toString());
    detector = FaceDetector.of(detectorSession, det);
    embedder = FaceEmbedder.of(embedderSession, emb);
    threshold = emb.manifest().orElseThrow().thresholds().get("same_person");
  }

  @AfterAll
  static void close() throws OrtException {
    detectorSession.close();
    embedderSession.close();
  }

  static BufferedImage image(String name) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(Faces.bytes(name)));
  }

  static List<Face> detect(String name) throws Exception {
    return detector.detect(detector.prepare(image(name)));
  }

  static float[] embed(String name) throws Exception {
    BufferedImage image = image(name);
    List<Face> faces = detect(name);
    assertThat(faces).as(name).isNotEmpty();
    float[] planes = Resize.planes(image);
    return embedder
        .embed(List.of(embedder.align(planes, image.getWidth(), image.getHeight(), faces.get(0))))
        .get(0);
  }

  static double iou(Face f, JsonArray box) {
    double x1 = Math.max(f.x1(), box.getDouble(0));
    double y1 = Math.max(f.y1(), box.getDouble(1));
    double x2 = Math.min(f.x2(), box.getDouble(2));
    double y2 = Math.min(f.y2(), box.getDouble(3));
    double inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    double truth = (box.getDouble(2) - box.getDouble(0)) * (box.getDouble(3) - box.getDouble(1));
    return inter / (f.area() + truth - inter);
  }

  @Test
  @DisplayName("The detector reads its graph and manifest: input 160, thresholds 0.5 and 0.4")
  void reads() {
    assertThat(detector.inputSize()).containsExactly(160, 160);
    assertThat(detector.scoreThreshold()).isEqualTo(0.5f);
    assertThat(threshold).isEqualTo(0.63);
    assertThat(embedder.size()).isEqualTo(112);
  }

  @Test
  @DisplayName(
      "Each view's face is found within IoU 0.5 of the truth, landmarks within a few pixels")
  void detects() throws Exception {
    for (String person : Faces.PEOPLE) {
      for (int v = 0; v < 3; v++) {
        String name = person + "-" + v + ".png";
        List<Face> faces = detect(name);
        assertThat(faces).as(name).hasSize(1);
        Face face = faces.get(0);
        assertThat(iou(face, Faces.boxes(name).getJsonArray(0))).as(name).isGreaterThan(0.5);
        JsonArray marks = Faces.landmarks(name).getJsonArray(0);
        float[] found = face.landmarks();
        double sum = 0;
        for (int k = 0; k < 5; k++) {
          double dx = found[2 * k] - marks.getJsonArray(k).getDouble(0);
          double dy = found[2 * k + 1] - marks.getJsonArray(k).getDouble(1);
          double error = Math.hypot(dx, dy);
          // the starter detector is small: a landmark may be off by up to a tenth of the face
          assertThat(error).as("%s landmark %d", name, k).isLessThan(9.0);
          sum += error;
        }
        assertThat(sum / 5).as("%s mean landmark error", name).isLessThan(5.0);
      }
    }
  }

  @Test
  @DisplayName("Two faces are two detections, each near one true box; no face is none")
  void counts() throws Exception {
    List<Face> two = detect("two-faces.png");
    assertThat(two).hasSize(2);
    JsonArray truth = Faces.boxes("two-faces.png");
    for (int i = 0; i < 2; i++) {
      JsonArray box = truth.getJsonArray(i);
      assertThat(two.stream().mapToDouble(f -> iou(f, box)).max().orElse(0))
          .as("true box %d", i)
          .isGreaterThan(0.5);
    }
    assertThat(detect("no-face.png")).isEmpty();
  }

  @Test
  @DisplayName("Same person above the manifest's threshold, different people below it")
  void embeds() throws Exception {
    Map<String, float[]> embeddings = new LinkedHashMap<>();
    for (String person : Faces.PEOPLE) {
      for (int v = 0; v < 3; v++) {
        embeddings.put(person + "-" + v, embed(person + "-" + v + ".png"));
      }
    }
    List<String> names = new ArrayList<>(embeddings.keySet());
    for (float[] e : embeddings.values()) {
      double norm = 0;
      for (float x : e) {
        norm += x * x;
      }
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
    }
    for (int i = 0; i < names.size(); i++) {
      for (int j = i + 1; j < names.size(); j++) {
        String a = names.get(i), b = names.get(j);
        double s = FaceEmbedder.cosine(embeddings.get(a), embeddings.get(b));
        boolean same = a.substring(0, a.indexOf('-')).equals(b.substring(0, b.indexOf('-')));
        if (same) {
          assertThat(s).as("%s vs %s", a, b).isGreaterThanOrEqualTo(threshold);
        } else {
          assertThat(s).as("%s vs %s", a, b).isLessThan(threshold);
        }
      }
    }
  }
}
