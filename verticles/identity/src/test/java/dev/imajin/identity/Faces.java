package dev.imajin.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The committed face fixtures ({@code src/test/resources/faces}): three views each of three
 * synthetic people ({@code alice-0.png} ...), an image without a face and one with two, drawn by
 * the starter pack's own renderer ({@code tools/modelpack/faces.py}), and {@code faces.json} with
 * each image's true boxes ([x1, y1, x2, y2]) and landmarks.
 */
final class Faces {
  static final String[] PEOPLE = {"alice", "bruno", "chen"};

  private Faces() {}

  static byte[] bytes(String name) {
    try (InputStream in = Faces.class.getResourceAsStream("/faces/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String b64(String name) {
    return Base64.getEncoder().encodeToString(bytes(name));
  }

  /** {@code {"b64": ..., "media_type": "image/png"}} of a fixture. */
  static JsonObject inline(String name) {
    return new JsonObject().put("b64", b64(name)).put("media_type", "image/png");
  }

  static JsonObject truth() {
    return new JsonObject(new String(bytes("faces.json"), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The true boxes of a fixture, [x1, y1, x2, y2] each. */
  static JsonArray boxes(String name) {
    return truth().getJsonObject(name).getJsonArray("boxes");
  }

  static JsonArray landmarks(String name) {
    return truth().getJsonObject(name).getJsonArray("landmarks");
  }

  /** The repository's {@code models} folder, found from the module's working directory. */
  static Path models() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("models/starter"))) {
        return dir.resolve("models");
      }
    }
    throw new IllegalStateException("no models/starter above " + Path.of("").toAbsolutePath());
  }
}
