package dev.imajin.inference.face;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.image.ImageTensors;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelParameters;
import dev.imajin.inference.onnx.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An ArcFace-layout face embedder (MODELS.md section 6): aligned faces ({@link FaceAligner}) as RGB
 * normalised {@code (v - mean) / std} in, one embedding per face out, L2-normalised here whether or
 * not the graph does it, so that the dot product of two embeddings is their cosine similarity.
 *
 * <p>The input's name and size come from the session (the first input, [batch, 3, size, size]; a
 * dynamic size takes the manifest's {@code preprocess.size}, else 112) and the embedding's length
 * from the single output. The manifest gives {@code preprocess.mean} and {@code std} (default 127.5
 * and 127.5; set 0 and 1 for MXNet conversions whose graph normalises itself). Faces go in one
 * batch when the batch dimension is dynamic, else one at a time. {@link #embed} runs the session
 * and belongs on the device's worker pool.
 */
public final class FaceEmbedder {
  /** The manifest's file role of the graph. */
  public static final String COMPONENT = "model";

  public static final double DEFAULT_MEAN = 127.5;
  public static final double DEFAULT_STD = 127.5;

  private final OrtSession session;
  private final NodeInfo input;
  private final String output;
  private final String modelId;
  private final int size;
  private final boolean batched;
  private final float[] mean;
  private final float[] std;

  private FaceEmbedder(
      OrtSession session,
      NodeInfo input,
      String output,
      String modelId,
      int size,
      boolean batched,
      float[] mean,
      float[] std) {
    this.session = session;
    this.input = input;
    this.output = output;
    this.modelId = modelId;
    this.size = size;
    this.batched = batched;
    this.mean = mean;
    this.std = std;
  }

  /**
   * Reads the graph and the manifest.
   *
   * @throws ModelException naming the model and what does not fit
   */
  public static FaceEmbedder of(OrtSession session, ModelEntry entry) throws OrtException {
    String id = entry.id();
    if (session.getInputNames().isEmpty() || session.getOutputNames().size() != 1) {
      throw new ModelException(
          "face embedder '"
              + id
              + "' must have one input and one output, has inputs "
              + session.getInputNames()
              + " and outputs "
              + session.getOutputNames());
    }
    NodeInfo input = session.getInputInfo().values().iterator().next();
    long[] shape = Tensors.info(input).getShape();
    if (shape.length != 4
        || (shape[1] > 0 && shape[1] != 3)
        || (shape[2] > 0 && shape[3] > 0 && shape[2] != shape[3])) {
      throw new ModelException(
          "face embedder '"
              + id
              + "': input "
              + input.getName()
              + " is "
              + Arrays.toString(shape)
              + ", expected [batch, 3, size, size]");
    }
    ModelParameters p = Manifests.preprocess(entry);
    int size = shape[2] > 0 ? (int) shape[2] : p.integer("size").orElse(FaceAligner.ARCFACE_SIZE);
    if (p.integer("size").isPresent() && p.integer("size").get() != size) {
      throw new ModelException(
          "face embedder '"
              + id
              + "': "
              + p.where()
              + ".size is "
              + p.integer("size").get()
              + ", but the graph's input is fixed at "
              + size);
    }
    if (size < 16 || size > 1024) {
      throw new ModelException(p.where() + ".size must be in 16..1024, was " + size);
    }
    float[] mean = Manifests.channels(p, "mean", DEFAULT_MEAN);
    float[] std = Manifests.channels(p, "std", DEFAULT_STD);
    Manifests.positive(p, "std", std);
    String output = session.getOutputNames().iterator().next();
    return new FaceEmbedder(session, input, output, id, size, shape[0] <= 0, mean, std);
  }

  public String modelId() {
    return modelId;
  }

  /** The side of the square aligned face the graph takes. */
  public int size() {
    return size;
  }

  /** The face aligned for this embedder: RGB planes [3, size, size] of levels. */
  public float[] align(float[] planes, int width, int height, Face face) {
    return FaceAligner.align(planes, width, height, face.landmarks(), size);
  }

  /**
   * One unit-length embedding per aligned face, in order.
   *
   * @param faces RGB planes [3, size, size] of 8-bit levels, as {@link #align} gives them
   */
  public List<float[]> embed(List<float[]> faces) throws OrtException {
    List<float[]> out = new ArrayList<>(faces.size());
    if (faces.isEmpty()) {
      return out;
    }
    int step = batched ? faces.size() : 1;
    for (int from = 0; from < faces.size(); from += step) {
      List<float[]> batch = faces.subList(from, Math.min(faces.size(), from + step));
      out.addAll(run(batch));
    }
    return out;
  }

  private List<float[]> run(List<float[]> batch) throws OrtException {
    int item = 3 * size * size;
    float[] values = new float[batch.size() * item];
    for (int i = 0; i < batch.size(); i++) {
      float[] face = batch.get(i);
      if (face.length != item) {
        throw new IllegalArgumentException(
            "an aligned face has " + face.length + " values, expected 3x" + size + "x" + size);
      }
      System.arraycopy(face, 0, values, i * item, item);
    }
    ImageTensors.normalize(values, 1.0, repeat(mean, batch.size()), repeat(std, batch.size()));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] flat;
    try (OnnxTensor tensor =
            Tensors.of(env, input, values, new long[] {batch.size(), 3, size, size});
        OrtSession.Result result = session.run(Map.of(input.getName(), tensor))) {
      if (!(result.get(0) instanceof OnnxTensor embeddings)) {
        throw new ModelException("face embedder '" + modelId + "': the output is not a tensor");
      }
      flat = Tensors.floats(embeddings);
    }
    if (flat.length == 0 || flat.length % batch.size() != 0) {
      throw new ModelException(
          "face embedder '"
              + modelId
              + "': output "
              + output
              + " has "
              + flat.length
              + " values for "
              + batch.size()
              + " faces");
    }
    int dim = flat.length / batch.size();
    List<float[]> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      out.add(normalised(Arrays.copyOfRange(flat, i * dim, (i + 1) * dim)));
    }
    return out;
  }

  /** Each channel's value repeated for {@code n} images, so one call normalises a whole batch. */
  private static float[] repeat(float[] channels, int n) {
    float[] out = new float[channels.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(channels, 0, out, i * channels.length, channels.length);
    }
    return out;
  }

  /** The vector scaled to unit length; a zero vector stays zero. */
  public static float[] normalised(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    float[] out = v.clone();
    if (norm > 0) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (out[i] / norm);
      }
    }
    return out;
  }

  /** The cosine similarity of two unit-length embeddings (their dot product). */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "embeddings of " + a.length + " and " + b.length + " values cannot be compared");
    }
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot;
  }
}
