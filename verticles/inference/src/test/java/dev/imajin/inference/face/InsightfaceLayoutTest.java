package dev.imajin.inference.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelRegistry;
import dev.imajin.inference.testing.OnnxFiles;
import dev.imajin.inference.testing.OnnxGraph;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graphs shaped like insightface's exports, built here: a detector whose nine outputs have numeric
 * names and no batch dimension, and an embedder whose 512-d output is not normalised, both with the
 * input name {@code input.1}. Their layout is read from the session and the manifest.
 */
class InsightfaceLayoutTest {
  @TempDir Path root;

  private ModelEntry write(String id, String task, String family, String extra, OnnxGraph g)
      throws Exception {
    Path folder = Files.createDirectories(root.resolve(id));
    OnnxFiles.write(g.model(), folder.resolve("model.onnx"));
    Files.writeString(
        folder.resolve("imajin-model.yaml"),
        "id: \""
            + id
            + "\"\ntask: \""
            + task
            + "\"\nfamily: \""
            + family
            + "\"\nlicense: \"test\"\nfiles:\n  model: {path: model.onnx}\n"
            + extra);
    ModelRegistry registry = ModelRegistry.scan(List.of(root));
    return registry
        .find(id)
        .orElseThrow(() -> new AssertionError("not registered: " + registry.problems()));
  }

  /** Anchors of a 64x64 input: 8x8, 4x4 and 2x2 cells, two anchors each. */
  private static final int[] ANCHORS = {128, 32, 8};

  private static OnnxGraph detector(float[][] scores, float[][] boxes, float[][] kps) {
    OnnxGraph g = new OnnxGraph("scrfd");
    g.input("input.1", DataType.FLOAT, 1, 3, "height", "width");
    int name = 448;
    for (int i = 0; i < 3; i++) {
      g.output("" + name++, g.floats(scores[i], ANCHORS[i], 1), DataType.FLOAT, ANCHORS[i], 1);
    }
    for (int i = 0; i < 3; i++) {
      g.output("" + name++, g.floats(boxes[i], ANCHORS[i], 4), DataType.FLOAT, ANCHORS[i], 4);
    }
    for (int i = 0; i < 3; i++) {
      g.output("" + name++, g.floats(kps[i], ANCHORS[i], 10), DataType.FLOAT, ANCHORS[i], 10);
    }
    return g;
  }

  @Test
  @DisplayName("A det_10g-shaped detector: outputs by position, no batch dim, det_scale undone")
  void detector() throws Exception {
    float[][] scores = new float[3][];
    float[][] boxes = new float[3][];
    float[][] kps = new float[3][];
    for (int i = 0; i < 3; i++) {
      scores[i] = new float[ANCHORS[i]];
      boxes[i] = new float[ANCHORS[i] * 4];
      kps[i] = new float[ANCHORS[i] * 10];
    }
    // stride 16, cell (row 2, col 1), second anchor: index 19, centre (16, 32)
    scores[1][19] = 0.9f;
    System.arraycopy(new float[] {1, 1.5f, 1, 1.5f}, 0, boxes[1], 19 * 4, 4);
    for (int k = 0; k < 5; k++) {
      kps[1][190 + 2 * k] = 0.5f * k - 1;
      kps[1][190 + 2 * k + 1] = 0.25f;
    }
    // the same box at stride 8 (cell row 4, col 2, first anchor: index 68), scored lower: NMS
    scores[0][68] = 0.6f;
    System.arraycopy(new float[] {2, 3, 2, 3}, 0, boxes[0], 68 * 4, 4);
    // below the threshold
    scores[2][5] = 0.3f;
    ModelEntry entry =
        write(
            "buffalo/det_10g",
            "face-detection",
            "scrfd",
            "preprocess:\n  input_size: [64, 64]\nthresholds:\n  score: 0.5\n  nms_iou: 0.4\n",
            detector(scores, boxes, kps));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(entry.requireFile("model").path().toString())) {
      FaceDetector detector = FaceDetector.of(session, entry);
      assertThat(detector.inputSize()).containsExactly(64, 64);
      // 128x96 is resized to 64x48 (det_scale 0.5) and pasted top-left
      BufferedImage image = new BufferedImage(128, 96, BufferedImage.TYPE_INT_RGB);
      FaceDetector.Input input = detector.prepare(image);
      assertThat(input.scale()).isEqualTo(0.5);
      // black pixels and the canvas below the image are both (0 - 127.5) / 128
      assertThat(input.values()[0]).isCloseTo(-127.5f / 128, within(1e-6f));
      assertThat(input.values()[63 * 64 + 5]).isCloseTo(-127.5f / 128, within(1e-6f));
      List<Face> faces = detector.detect(input);
      assertThat(faces).hasSize(1);
      Face f = faces.get(0);
      assertThat(f.score()).isEqualTo(0.9f);
      // (0, 8, 32, 56) in the input; twice that in the image, clipped to its 96 rows
      assertThat(new float[] {f.x1(), f.y1(), f.x2(), f.y2()}).containsExactly(0f, 16f, 64f, 96f);
      float[] marks = f.landmarks();
      for (int k = 0; k < 5; k++) {
        assertThat(marks[2 * k]).isEqualTo(2 * (16 + (0.5f * k - 1) * 16));
        assertThat(marks[2 * k + 1]).isEqualTo(2 * 36f);
      }
    }
  }

  @Test
  @DisplayName("A detector without landmark outputs is refused, naming the model and outputs")
  void noLandmarks() throws Exception {
    OnnxGraph g = new OnnxGraph("scrfd-no-kps");
    g.input("input.1", DataType.FLOAT, 1, 3, 64, 64);
    for (int i = 0; i < 6; i++) {
      g.output("o" + i, g.floats(new float[8], 8, 1), DataType.FLOAT, 8, 1);
    }
    ModelEntry entry = write("no-kps", "face-detection", "scrfd", "", g);
    try (OrtSession session =
        OrtEnvironment.getEnvironment()
            .createSession(entry.requireFile("model").path().toString())) {
      assertThatThrownBy(() -> FaceDetector.of(session, entry))
          .isInstanceOf(ModelException.class)
          .hasMessageContaining("'no-kps' has 6 outputs");
    }
  }

  @Test
  @DisplayName("A w600k-shaped embedder: dynamic batch, 512-d unnormalised output, normalised here")
  void embedder() throws Exception {
    OnnxGraph g = new OnnxGraph("arcface");
    String in = g.input("input.1", DataType.FLOAT, "None", 3, 112, 112);
    String mean = g.node("ReduceMean").in(in).attr("axes", 2L, 3L).attr("keepdims", 0L).out();
    SplittableRandom random = new SplittableRandom(7);
    float[] weights = new float[3 * 512];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) random.nextDouble(-2, 2);
    }
    String out = g.op("MatMul", mean, g.floats(weights, 3, 512));
    g.output("683", out, DataType.FLOAT, "None", 512);
    ModelEntry entry = write("buffalo/w600k_r50", "face-embedding", "arcface", "", g);
    try (OrtSession session =
        OrtEnvironment.getEnvironment()
            .createSession(entry.requireFile("model").path().toString())) {
      FaceEmbedder embedder = FaceEmbedder.of(session, entry);
      assertThat(embedder.size()).isEqualTo(112);
      int plane = 112 * 112;
      float[][] levels = {{255, 0, 127.5f}, {10, 200, 30}};
      List<float[]> faces =
          Arrays.stream(levels)
              .map(
                  rgb -> {
                    float[] planes = new float[3 * plane];
                    for (int c = 0; c < 3; c++) {
                      Arrays.fill(planes, c * plane, (c + 1) * plane, rgb[c]);
                    }
                    return planes;
                  })
              .toList();
      List<float[]> embeddings = embedder.embed(faces);
      assertThat(embeddings).hasSize(2);
      for (int i = 0; i < 2; i++) {
        float[] expected = new float[512];
        for (int j = 0; j < 512; j++) {
          for (int c = 0; c < 3; c++) {
            expected[j] += (levels[i][c] - 127.5f) / 127.5f * weights[c * 512 + j];
          }
        }
        float[] unit = FaceEmbedder.normalised(expected);
        assertThat(embeddings.get(i)).hasSize(512).containsExactly(unit, within(1e-4f));
        assertThat(FaceEmbedder.cosine(embeddings.get(i), embeddings.get(i)))
            .isCloseTo(1, within(1e-5));
      }
    }
  }
}
