package dev.imajin.inference.model;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One entry of a manifest's {@code files}: where the file is and, optionally, what it must be.
 *
 * @param path relative to the model folder, with {@code /} separators; it cannot leave the folder
 * @param sha256 64 hexadecimal digits (stored lower-case); when present, {@link
 *     ModelRegistry#verify} checks it
 * @param bytes the expected size; when present, the scan refuses a file of another size
 */
public record ModelFile(String path, Optional<String> sha256, OptionalLong bytes) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  public ModelFile {
    path = relativePath("path", path);
    sha256 = sha256.map(ModelFile::checkSha256);
    if (bytes.isPresent() && bytes.getAsLong() < 0) {
      throw new ModelException("bytes: must not be negative, was " + bytes.getAsLong());
    }
  }

  public static ModelFile of(String path) {
    return new ModelFile(path, Optional.empty(), OptionalLong.empty());
  }

  private static String checkSha256(String hex) {
    if (!SHA256.matcher(hex).matches()) {
      throw new ModelException("sha256: expected 64 hexadecimal digits, was '" + hex + "'");
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  /**
   * Checks a path written in a manifest: relative, {@code /}-separated, no {@code .} or {@code ..}
   * segment, so that it names something inside the model folder.
   */
  static String relativePath(String key, String path) {
    if (path == null || path.isBlank()) {
      throw new ModelException(key + ": must not be empty");
    }
    boolean ok = !path.startsWith("/") && !path.contains("\\") && !path.contains(":");
    for (String segment : path.split("/", -1)) {
      ok &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
    }
    if (!ok) {
      throw new ModelException(
          key
              + ": must be a path inside the model folder, such as unet/model.onnx, was '"
              + path
              + "'");
    }
    return path;
  }
}
