package dev.imajin.inference.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a model does; the manifest's {@code task} key holds the wire name. */
public enum ModelTask {
  TEXT_TO_IMAGE("text-to-image"),
  IMAGE_TEXT_SIMILARITY("image-text-similarity"),
  IMAGE_REWARD("image-reward"),
  IMAGE_CLASSIFICATION("image-classification"),
  FACE_DETECTION("face-detection"),
  FACE_EMBEDDING("face-embedding"),
  AGE_ESTIMATION("age-estimation"),
  BACKGROUND_REMOVAL("background-removal"),
  UPSCALING("upscaling"),
  TEXT_CLASSIFICATION("text-classification");

  private final String wireName;

  ModelTask(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<ModelTask> of(String wireName) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
  }

  /** The wire names, comma-separated, for error messages. */
  static String wireNames() {
    return Arrays.stream(values()).map(ModelTask::wireName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
