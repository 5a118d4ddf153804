package dev.imajin.inference.face;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A detected face in image pixels (origin top left, x to the right): its box corners, the
 * detector's score in [0, 1] and five landmarks as x, y pairs, in the order image-left eye,
 * image-right eye, nose, image-left mouth corner, image-right mouth corner.
 */
public record Face(float x1, float y1, float x2, float y2, float score, float[] landmarks) {
  public static final int LANDMARKS = 5;

  public Face {
    if (landmarks == null || landmarks.length != 2 * LANDMARKS) {
      throw new IllegalArgumentException("a face has " + LANDMARKS + " landmarks (10 values)");
    }
    landmarks = landmarks.clone();
  }

  @Override
  public float[] landmarks() {
    return landmarks.clone();
  }

  public float width() {
    return x2 - x1;
  }

  public float height() {
    return y2 - y1;
  }

  public double area() {
    return (double) Math.max(0, width()) * Math.max(0, height());
  }

  /** The face with its coordinates divided by {@code scale} (from a resized input back). */
  public Face unscaled(double scale) {
    float[] marks = new float[landmarks.length];
    for (int i = 0; i < marks.length; i++) {
      marks[i] = (float) (landmarks[i] / scale);
    }
    return new Face(
        (float) (x1 / scale),
        (float) (y1 / scale),
        (float) (x2 / scale),
        (float) (y2 / scale),
        score,
        marks);
  }

  /** The faces with a box of at least one pixel each way, the {@code limit} largest first. */
  public static List<Face> largest(List<Face> faces, int limit) {
    return faces.stream()
        .filter(f -> f.width() >= 1 && f.height() >= 1)
        .sorted(Comparator.comparingDouble(Face::area).reversed())
        .limit(limit)
        .toList();
  }

  /**
   * The face with its box grown by {@code margin} of its width and height on each side (the
   * landmarks unchanged), as age classifiers crop it; not clipped.
   */
  public Face grown(double margin) {
    float dx = (float) (margin * width());
    float dy = (float) (margin * height());
    return new Face(x1 - dx, y1 - dy, x2 + dx, y2 + dy, score, landmarks);
  }

  /** The box clipped to an image of this size. */
  public Face clipped(int width, int height) {
    return new Face(
        clamp(x1, width), clamp(y1, height), clamp(x2, width), clamp(y2, height), score, landmarks);
  }

  private static float clamp(float v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Face f
        && x1 == f.x1
        && y1 == f.y1
        && x2 == f.x2
        && y2 == f.y2
        && score == f.score
        && Arrays.equals(landmarks, f.landmarks);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Objects.hash(x1, y1, x2, y2, score) + Arrays.hashCode(landmarks);
  }

  @Override
  public String toString() {
    return "Face["
        + x1
        + ", "
        + y1
        + ", "
        + x2
        + ", "
        + y2
        + ", score "
        + score
        + ", landmarks "
        + Arrays.toString(landmarks)
        + "]";
  }
}
