package dev.imajin.inference.face;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.image.ImageTensors;
import dev.imajin.inference.image.Resample;
import dev.imajin.inference.image.Resize;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelParameters;
import dev.imajin.inference.onnx.Tensors;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SCRFD-layout face detector (MODELS.md section 6): the image is resized keeping its aspect
 * ratio, pasted top-left into a black canvas of the input size, normalised {@code (v - mean) / std}
 * as RGB, and the outputs are decoded per stride ({@link Scrfd}), kept above the score threshold,
 * suppressed by NMS and scaled back to image pixels.
 *
 * <p>Everything about the graph is read from the session: the input's name (the first input) and
 * its size when fixed; the outputs either by name ({@code score_8}, {@code bbox_8}, {@code kps_8},
 * ...) or, for exports with numeric names such as insightface's {@code det_10g.onnx}, by position
 * as insightface groups them: scores, then boxes, then landmarks, each by increasing stride (9
 * outputs: strides 8, 16, 32; 15 outputs: strides 8 to 128). Outputs may carry a leading batch
 * dimension or not. Exports without landmark outputs (6 or 10 outputs) are refused: alignment needs
 * the landmarks.
 *
 * <p>The manifest gives {@code preprocess.input_size} (one number, or {@code [width, height]} as
 * insightface's {@code det_size}; default 640, or the graph's fixed size), {@code preprocess.mean}
 * and {@code std} (default 127.5 and 128), {@code thresholds.score} (0.5) and {@code
 * thresholds.nms_iou} (0.4).
 *
 * <p>{@link #prepare} is plain arithmetic and may run anywhere; {@link #detect} runs the session
 * and belongs on the device's worker pool.
 */
public final class FaceDetector {
  /** The manifest's file role of the graph. */
  public static final String COMPONENT = "model";

  public static final int DEFAULT_INPUT_SIZE = 640;
  public static final double DEFAULT_MEAN = 127.5;
  public static final double DEFAULT_STD = 128.0;
  public static final double DEFAULT_SCORE = 0.5;
  public static final double DEFAULT_NMS_IOU = 0.4;
  private static final Pattern NAMED = Pattern.compile("^(score|bbox|kps)_(\\d+)$");

  /** One image made ready for the graph: NCHW values and the resize factor. */
  public record Input(float[] values, double scale, int imageWidth, int imageHeight) {}

  private record Outputs(String score, String bbox, String kps, int stride) {}

  private final OrtSession session;
  private final NodeInfo input;
  private final String modelId;
  private final int width;
  private final int height;
  private final float[] mean;
  private final float[] std;
  private final float scoreThreshold;
  private final float nmsIou;
  private final List<Outputs> levels;

  private FaceDetector(
      OrtSession session,
      NodeInfo input,
      String modelId,
      int width,
      int height,
      float[] mean,
      float[] std,
      float scoreThreshold,
      float nmsIou,
      List<Outputs> levels) {
    this.session = session;
    this.input = input;
    this.modelId = modelId;
    this.width = width;
    this.height = height;
    this.mean = mean;
    this.std = std;
    this.scoreThreshold = scoreThreshold;
    this.nmsIou = nmsIou;
    this.levels = levels;
  }

  /**
   * Reads the graph and the manifest.
   *
   * @throws ModelException naming the model and what does not fit
   */
  public static FaceDetector of(OrtSession session, ModelEntry entry) throws OrtException {
    String id = entry.id();
    if (session.getInputNames().isEmpty()) {
      throw new ModelException("face detector '" + id + "' has no input");
    }
    NodeInfo input = session.getInputInfo().values().iterator().next();
    long[] shape = Tensors.info(input).getShape();
    if (shape.length != 4 || (shape[1] > 0 && shape[1] != 3)) {
      throw new ModelException(
          "face detector '"
              + id
              + "': input "
              + input.getName()
              + " is "
              + Arrays.toString(shape)
              + ", expected [1, 3, height, width]");
    }
    ModelParameters p = Manifests.preprocess(entry);
    int[] size = inputSize(p, id, shape);
    float[] mean = Manifests.channels(p, "mean", DEFAULT_MEAN);
    float[] std = Manifests.channels(p, "std", DEFAULT_STD);
    Manifests.positive(p, "std", std);
    float score = (float) Manifests.threshold(entry, "score", DEFAULT_SCORE);
    float iou = (float) Manifests.threshold(entry, "nms_iou", DEFAULT_NMS_IOU);
    List<Outputs> levels = outputs(id, new ArrayList<>(session.getOutputNames()));
    return new FaceDetector(session, input, id, size[0], size[1], mean, std, score, iou, levels);
  }

  /** [width, height]: the graph's fixed size, else the manifest's, else 640; multiples of 32. */
  private static int[] inputSize(ModelParameters p, String id, long[] shape) {
    int[] size;
    if (p.has("input_size")) {
      Object raw = p.values().get("input_size");
      if (raw instanceof List<?>) {
        List<Integer> wh = p.integers("input_size").orElseThrow();
        if (wh.size() != 2) {
          throw new ModelException(
              p.where() + ".input_size: expected one number or [width, height]");
        }
        size = new int[] {wh.get(0), wh.get(1)};
      } else {
        int side = p.integer("input_size").orElseThrow();
        size = new int[] {side, side};
      }
    } else if (shape[2] > 0 && shape[3] > 0) {
      size = new int[] {(int) shape[3], (int) shape[2]};
    } else {
      size = new int[] {DEFAULT_INPUT_SIZE, DEFAULT_INPUT_SIZE};
    }
    if ((shape[3] > 0 && shape[3] != size[0]) || (shape[2] > 0 && shape[2] != size[1])) {
      throw new ModelException(
          "face detector '"
              + id
              + "': "
              + p.where()
              + ".input_size is "
              + size[0]
              + "x"
              + size[1]
              + ", but the graph's input is fixed at "
              + shape[3]
              + "x"
              + shape[2]);
    }
    for (int side : size) {
      if (side < 32 || side > 4096 || side % 32 != 0) {
        throw new ModelException(
            p.where() + ".input_size: each side must be a multiple of 32 in 32..4096, was " + side);
      }
    }
    return size;
  }

  private static List<Outputs> outputs(String id, List<String> names) {
    boolean named = names.stream().allMatch(n -> NAMED.matcher(n).matches());
    List<Outputs> levels = new ArrayList<>();
    if (named) {
      List<Integer> strides =
          names.stream()
              .map(n -> NAMED.matcher(n))
              .filter(Matcher::matches)
              .filter(m -> m.group(1).equals("score"))
              .map(m -> Integer.parseInt(m.group(2)))
              .sorted()
              .toList();
      for (int s : strides) {
        if (!names.contains("bbox_" + s) || !names.contains("kps_" + s)) {
          throw new ModelException(
              "face detector '"
                  + id
                  + "': score_"
                  + s
                  + " needs bbox_"
                  + s
                  + " and kps_"
                  + s
                  + " (outputs: "
                  + names
                  + ")");
        }
        levels.add(new Outputs("score_" + s, "bbox_" + s, "kps_" + s, s));
      }
    } else if (names.size() == 9 || names.size() == 15) {
      int n = names.size() / 3;
      for (int i = 0; i < n; i++) {
        levels.add(new Outputs(names.get(i), names.get(n + i), names.get(2 * n + i), 8 << i));
      }
    } else {
      throw new ModelException(
          "face detector '"
              + id
              + "' has "
              + names.size()
              + " outputs "
              + names
              + "; an SCRFD export with landmarks has 9 (or 15), or outputs named score_<stride>,"
              + " bbox_<stride>, kps_<stride>");
    }
    if (levels.isEmpty()) {
      throw new ModelException("face detector '" + id + "' has no score outputs: " + names);
    }
    return List.copyOf(levels);
  }

  public String modelId() {
    return modelId;
  }

  /** The graph's input size, width and height. */
  public int[] inputSize() {
    return new int[] {width, height};
  }

  public float scoreThreshold() {
    return scoreThreshold;
  }

  /**
   * The image resized to fit the input keeping its aspect ratio (bilinear), pasted top-left into a
   * black canvas and normalised; pure arithmetic.
   */
  public Input prepare(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int newW, newH;
    if ((double) h / w > (double) height / width) {
      newH = height;
      newW = Math.max(1, (int) (newH * (double) w / h));
    } else {
      newW = width;
      newH = Math.max(1, (int) (newW * (double) h / w));
    }
    double scale = (double) newH / h;
    float[] resized =
        newW == w && newH == h
            ? Resize.planes(image)
            : Resize.squash(image, newW, newH, Resample.BILINEAR);
    int plane = width * height;
    float[] canvas = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < newH; y++) {
        System.arraycopy(resized, c * newW * newH + y * newW, canvas, c * plane + y * width, newW);
      }
    }
    ImageTensors.normalize(canvas, 1.0, mean, std);
    return new Input(canvas, scale, w, h);
  }

  /** The faces of the image, best first, in image pixels; runs the session. */
  public List<Face> detect(Input prepared) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<Scrfd.Level> decoded = new ArrayList<>();
    try (OnnxTensor tensor =
            Tensors.of(env, input, prepared.values(), new long[] {1, 3, height, width});
        OrtSession.Result result = session.run(Map.of(input.getName(), tensor))) {
      for (Outputs o : levels) {
        float[] scores = floats(result, o.score());
        int cols = (width + o.stride() - 1) / o.stride();
        int rows = (height + o.stride() - 1) / o.stride();
        int cells = rows * cols;
        if (scores.length % cells != 0 || scores.length == 0) {
          throw new ModelException(
              "face detector '"
                  + modelId
                  + "': output "
                  + o.score()
                  + " has "
                  + scores.length
                  + " values, not a whole number of anchors for "
                  + cells
                  + " cells at stride "
                  + o.stride());
        }
        try {
          decoded.add(
              new Scrfd.Level(
                  o.stride(),
                  cols,
                  scores.length / cells,
                  scores,
                  floats(result, o.bbox()),
                  floats(result, o.kps())));
        } catch (IllegalArgumentException e) {
          throw new ModelException("face detector '" + modelId + "': " + e.getMessage(), e);
        }
      }
    }
    List<Face> kept = Scrfd.nms(Scrfd.decode(decoded, scoreThreshold), nmsIou);
    List<Face> faces = new ArrayList<>(kept.size());
    for (Face f : kept) {
      faces.add(
          f.unscaled(prepared.scale()).clipped(prepared.imageWidth(), prepared.imageHeight()));
    }
    faces.sort(Comparator.comparingDouble(Face::score).reversed());
    return faces;
  }

  private static float[] floats(OrtSession.Result result, String name) throws OrtException {
    OnnxValue value =
        result
            .get(name)
            .orElseThrow(() -> new ModelException("the detector gave no output " + name));
    if (!(value instanceof OnnxTensor tensor)) {
      throw new ModelException("the detector's output " + name + " is not a tensor");
    }
    return Tensors.floats(tensor);
  }
}
