package dev.imajin.inference.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SCRFD's output decoding and non-maximum suppression, as insightface's {@code SCRFD.forward} and
 * {@code nms} do them (MODELS.md section 6). Each stride level is a grid of {@code rows x cols}
 * cells in row-major order, each cell repeated once per anchor; a cell's anchor centre is {@code
 * (col * stride, row * stride)} in input pixels. A box is four distances (left, top, right, bottom)
 * from the centre and a landmark an offset (dx, dy), all in strides.
 */
public final class Scrfd {
  private Scrfd() {}

  /**
   * One stride level's outputs, flattened (with or without a leading batch dimension of 1).
   *
   * @param cols the grid's width in cells: {@code ceil(inputWidth / stride)}
   * @param anchors anchors per cell
   * @param scores [cells * anchors] scores in [0, 1] (already sigmoid)
   * @param boxes [cells * anchors * 4] distances in strides
   * @param landmarks [cells * anchors * 10] offsets in strides
   */
  public record Level(
      int stride, int cols, int anchors, float[] scores, float[] boxes, float[] landmarks) {
    public Level {
      int n = scores.length;
      if (stride < 1 || cols < 1 || anchors < 1 || n % (cols * anchors) != 0) {
        throw new IllegalArgumentException(
            "stride "
                + stride
                + ": "
                + n
                + " scores are not whole rows of "
                + cols
                + " cells x "
                + anchors
                + " anchors");
      }
      if (boxes.length != 4 * n || landmarks.length != 2 * Face.LANDMARKS * n) {
        throw new IllegalArgumentException(
            "stride "
                + stride
                + ": "
                + n
                + " scores need "
                + 4 * n
                + " box values and "
                + 10 * n
                + " landmark values, got "
                + boxes.length
                + " and "
                + landmarks.length);
      }
    }
  }

  /** Every anchor whose score reaches {@code threshold}, decoded to input pixels. */
  public static List<Face> decode(List<Level> levels, float threshold) {
    List<Face> faces = new ArrayList<>();
    for (Level level : levels) {
      int s = level.stride();
      for (int i = 0; i < level.scores().length; i++) {
        float score = level.scores()[i];
        if (!(score >= threshold)) {
          continue;
        }
        int cell = i / level.anchors();
        float cx = (cell % level.cols()) * s;
        float cy = (cell / level.cols()) * s;
        float[] b = level.boxes();
        float[] marks = new float[2 * Face.LANDMARKS];
        for (int k = 0; k < Face.LANDMARKS; k++) {
          marks[2 * k] = cx + level.landmarks()[i * 10 + 2 * k] * s;
          marks[2 * k + 1] = cy + level.landmarks()[i * 10 + 2 * k + 1] * s;
        }
        faces.add(
            new Face(
                cx - b[i * 4] * s,
                cy - b[i * 4 + 1] * s,
                cx + b[i * 4 + 2] * s,
                cy + b[i * 4 + 3] * s,
                score,
                marks));
      }
    }
    return faces;
  }

  /**
   * Greedy non-maximum suppression: the best-scored face is kept and every face overlapping it by
   * more than {@code iou} is dropped, then the next remaining one. Areas count whole pixels, {@code
   * (x2 - x1 + 1) * (y2 - y1 + 1)}, as insightface does. Kept faces come best first; equal scores
   * keep their input order.
   */
  public static List<Face> nms(List<Face> faces, float iou) {
    List<Face> order = new ArrayList<>(faces);
    order.sort(Comparator.comparingDouble(Face::score).reversed());
    List<Face> kept = new ArrayList<>();
    boolean[] dropped = new boolean[order.size()];
    for (int i = 0; i < order.size(); i++) {
      if (dropped[i]) {
        continue;
      }
      Face a = order.get(i);
      kept.add(a);
      for (int j = i + 1; j < order.size(); j++) {
        if (!dropped[j] && overlap(a, order.get(j)) > iou) {
          dropped[j] = true;
        }
      }
    }
    return kept;
  }

  /** Intersection over union with insightface's whole-pixel areas. */
  public static double overlap(Face a, Face b) {
    double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()) + 1);
    double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()) + 1);
    double inter = w * h;
    return inter / (area(a) + area(b) - inter);
  }

  private static double area(Face f) {
    return (double) (f.x2() - f.x1() + 1) * (f.y2() - f.y1() + 1);
  }
}
