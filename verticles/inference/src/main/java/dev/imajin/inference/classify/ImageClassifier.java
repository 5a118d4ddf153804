package dev.imajin.inference.classify;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.face.Face;
import dev.imajin.inference.image.ImagePreprocess;
import dev.imajin.inference.image.Resample;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelManifest;
import dev.imajin.inference.model.ModelParameters;
import dev.imajin.inference.onnx.Tensors;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An image classifier laid out as Optimum exports {@code ViTForImageClassification} (MODELS.md
 * section 6): images in as {@code pixel_values} [batch, 3, height, width], one row of {@code
 * logits} [batch, labels] out per image, turned into softmax probabilities here.
 *
 * <p>The graph's input is the one named {@code pixel_values}, else its only input; its output the
 * one named {@code logits}, else its only output. The manifest gives the {@code labels} (in logit
 * order, at least two, as many as the graph's output is wide), optional {@code thresholds} in [0,
 * 1], and the {@code preprocess} section {@link ImagePreprocess} reads, with ViTImageProcessor's
 * defaults (bilinear, 1/255, mean and std 0.5) and one more key: {@code box_margin}, the share of a
 * face box's size an age classifier's crop grows by on each side ({@link #crop}; default 0).
 *
 * <p>Images go in one batch when the graph's batch dimension is dynamic, else one at a time. {@link
 * #classify} runs the session and belongs on the device's worker pool; {@link #crop} is plain
 * arithmetic. An instance is as thread-safe as its session.
 */
public final class ImageClassifier {
  /** The manifest's file role of the graph. */
  public static final String COMPONENT = "model";

  public static final String PIXEL_VALUES = "pixel_values";
  public static final String LOGITS = "logits";

  /** ViTImageProcessor's {@code image_mean} and {@code image_std} when the manifest gives none. */
  static final float[] HALF = {0.5f, 0.5f, 0.5f};

  private final OrtSession session;
  private final NodeInfo input;
  private final String output;
  private final String modelId;
  private final List<String> labels;
  private final Map<String, Double> thresholds;
  private final double boxMargin;
  private final ImagePreprocess preprocess;
  private final boolean batched;

  private ImageClassifier(
      OrtSession session,
      NodeInfo input,
      String output,
      String modelId,
      List<String> labels,
      Map<String, Double> thresholds,
      double boxMargin,
      ImagePreprocess preprocess,
      boolean batched) {
    this.session = session;
    this.input = input;
    this.output = output;
    this.modelId = modelId;
    this.labels = labels;
    this.thresholds = thresholds;
    this.boxMargin = boxMargin;
    this.preprocess = preprocess;
    this.batched = batched;
  }

  /**
   * Reads the graph and the manifest.
   *
   * @throws ModelException naming the model and what does not fit: no labels, an output wider or
   *     narrower than the labels, an input that is not an RGB image batch, a bad manifest value
   */
  public static ImageClassifier of(OrtSession session, ModelEntry entry) throws OrtException {
    String id = entry.id();
    ModelManifest manifest =
        entry
            .manifest()
            .orElseThrow(
                () ->
                    refused(
                        id, "has no manifest (" + ModelManifest.FILE_NAME + ") to name labels"));
    List<String> labels = labels(id, manifest.labels());
    NodeInfo input =
        session.getInputInfo().get(pick(id, "input", session.getInputNames(), PIXEL_VALUES));
    long[] in = Tensors.info(input).getShape();
    if (in.length != 4 || (in[1] > 0 && in[1] != 3) || in[0] > 1) {
      throw refused(
          id,
          "input "
              + input.getName()
              + " is "
              + Arrays.toString(in)
              + ", expected [batch, 3, height, width] with a dynamic batch or 1");
    }
    String output = pick(id, "output", session.getOutputNames(), LOGITS);
    long[] out = Tensors.info(session.getOutputInfo().get(output)).getShape();
    if (out.length != 2 || (out[1] > 0 && out[1] != labels.size())) {
      throw refused(
          id,
          "output "
              + output
              + " is "
              + Arrays.toString(out)
              + ", expected [batch, "
              + labels.size()
              + "]: one logit for each of the manifest's "
              + labels.size()
              + " labels "
              + labels);
    }
    ImagePreprocess preprocess = preprocess(id, manifest.preprocess(), in);
    return new ImageClassifier(
        session,
        input,
        output,
        id,
        labels,
        thresholds(id, manifest.thresholds()),
        boxMargin(manifest.preprocess()),
        preprocess,
        in[0] <= 0);
  }

  private static String pick(String id, String what, Set<String> names, String expected) {
    if (names.contains(expected)) {
      return expected;
    }
    if (names.size() == 1) {
      return names.iterator().next();
    }
    throw refused(
        id, "has " + what + "s " + names + "; expected one named " + expected + " or only one");
  }

  private static List<String> labels(String id, List<String> labels) {
    if (labels.size() < 2) {
      throw refused(
          id, "labels: the manifest must name at least 2 (one per logit), names " + labels);
    }
    if (new HashSet<>(labels).size() != labels.size()) {
      throw refused(id, "labels: must be distinct, were " + labels);
    }
    return labels;
  }

  private static Map<String, Double> thresholds(String id, Map<String, Double> thresholds) {
    thresholds.forEach(
        (key, value) -> {
          if (!(value >= 0 && value <= 1)) {
            throw refused(id, "thresholds." + key + " must be in [0, 1], was " + value);
          }
        });
    return thresholds;
  }

  /** The manifest's preprocessing; the graph's fixed size must agree with it. */
  private static ImagePreprocess preprocess(String id, ModelParameters p, long[] shape) {
    ImagePreprocess read = ImagePreprocess.read(p, (int) shape[2], (int) shape[3], HALF, HALF);
    if (!p.has("resample")) {
      read =
          new ImagePreprocess(
              read.height(),
              read.width(),
              Resample.BILINEAR,
              read.rescale(),
              read.mean(),
              read.std());
    }
    if ((shape[2] > 0 && shape[2] != read.height()) || (shape[3] > 0 && shape[3] != read.width())) {
      throw refused(
          id,
          p.where()
              + ".size is "
              + read.height()
              + "x"
              + read.width()
              + ", but the graph's input is fixed at "
              + shape[2]
              + "x"
              + shape[3]);
    }
    return read;
  }

  private static double boxMargin(ModelParameters p) {
    double margin = p.number("box_margin").orElse(0.0);
    if (!(margin >= 0 && margin <= 10)) {
      throw new ModelException(p.where() + ".box_margin must be in [0, 10], was " + margin);
    }
    return margin;
  }

  private static ModelException refused(String id, String why) {
    return new ModelException("image classifier '" + id + "' " + why);
  }

  public String modelId() {
    return modelId;
  }

  /** The labels, in logit order. */
  public List<String> labels() {
    return labels;
  }

  /** The manifest's thresholds by name; may be empty. */
  public Map<String, Double> thresholds() {
    return thresholds;
  }

  /** The share of a face box's width and height a crop grows by on each side; 0 when unset. */
  public double boxMargin() {
    return boxMargin;
  }

  public ImagePreprocess preprocess() {
    return preprocess;
  }

  /**
   * Softmax probabilities per image, in label order; runs the session.
   *
   * @throws ModelException when the graph's output does not have one value per label per image
   */
  public List<float[]> classify(List<BufferedImage> images) throws OrtException {
    List<float[]> out = new ArrayList<>(images.size());
    int step = batched ? Math.max(1, images.size()) : 1;
    for (int from = 0; from < images.size(); from += step) {
      out.addAll(run(images.subList(from, Math.min(images.size(), from + step))));
    }
    return out;
  }

  private List<float[]> run(List<BufferedImage> batch) throws OrtException {
    int h = preprocess.height();
    int w = preprocess.width();
    int item = 3 * h * w;
    float[] values = new float[batch.size() * item];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(preprocess.pixels(batch.get(i)), 0, values, i * item, item);
    }
    float[] logits;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor tensor = Tensors.of(env, input, values, new long[] {batch.size(), 3, h, w});
        OrtSession.Result result = session.run(Map.of(input.getName(), tensor), Set.of(output))) {
      OnnxValue value = result.get(output).orElse(null);
      if (!(value instanceof OnnxTensor t)) {
        throw refused(modelId, "gave no tensor " + output);
      }
      logits = Tensors.floats(t);
    }
    int n = labels.size();
    if (logits.length != batch.size() * n) {
      throw refused(
          modelId,
          "output "
              + output
              + " has "
              + logits.length
              + " values for "
              + batch.size()
              + " images, expected "
              + n
              + " each (one per label)");
    }
    List<float[]> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      out.add(softmax(Arrays.copyOfRange(logits, i * n, (i + 1) * n)));
    }
    return out;
  }

  /** The softmax of the logits, computed stably (the largest subtracted first). */
  static float[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double[] e = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] - max);
      sum += e[i];
    }
    float[] out = new float[logits.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (e[i] / sum);
    }
    return out;
  }

  /**
   * The face's box grown by {@code margin} of its width and height on each side ({@link
   * Face#grown}), as a copy of those pixels, black where the box goes beyond the image: the crop
   * the starter pack's age classifier was trained on (PIL's {@code EXTENT} sampling of the grown
   * box).
   *
   * @throws IllegalArgumentException when nothing of the grown box lies inside the image
   */
  public static BufferedImage crop(BufferedImage image, Face face, double margin) {
    Face box = face.grown(margin);
    int x1 = (int) Math.floor(box.x1());
    int y1 = (int) Math.floor(box.y1());
    int x2 = (int) Math.ceil(box.x2());
    int y2 = (int) Math.ceil(box.y2());
    if (x2 <= Math.max(0, x1)
        || y2 <= Math.max(0, y1)
        || x1 >= image.getWidth()
        || y1 >= image.getHeight()) {
      throw new IllegalArgumentException(
          "the face "
              + face
              + " grown by "
              + margin
              + " lies outside the image "
              + image.getWidth()
              + "x"
              + image.getHeight());
    }
    BufferedImage crop = new BufferedImage(x2 - x1, y2 - y1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = crop.createGraphics();
    try {
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, crop.getWidth(), crop.getHeight());
      g.drawImage(image, -x1, -y1, null);
    } finally {
      g.dispose();
    }
    return crop;
  }
}
