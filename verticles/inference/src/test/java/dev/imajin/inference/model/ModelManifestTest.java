package dev.imajin.inference.model;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {
  private static final String SHA = "a".repeat(64);

  @TempDir Path dir;

  private Path manifest(String yaml) {
    return Folders.write(dir.resolve(ModelManifest.FILE_NAME), yaml);
  }

  @Test
  @DisplayName("A full manifest is read into typed values")
  void fullManifest() {
    Path file =
        manifest(
            """
            id: starter/semantic
            task: image-text-similarity
            family: siglip
            description: The starter pack's image-text model
            license: Apache-2.0
            memory_bytes: 123456
            tokenizer: tokenizer/tokenizer.json
            files:
              vision:
                path: vision/model.onnx
                sha256: %s
                bytes: 2048
              text:
                path: text/model.onnx
            preprocess:
              size: [224, 224]
              mean: [0.5, 0.5, 0.5]
              std: [0.5, 0.5, 0.5]
              resize: bicubic
              rescale: 0.00392156862745098
              crop:
                center: true
            postprocess:
              logit_scale: 4.6
            labels: [cat, dog, 3]
            thresholds:
              match: 0.25
              strong: 1
            """
                .formatted(SHA.toUpperCase()));

    ModelManifest m = ModelManifest.read(file);

    assertThat(m.id()).isEqualTo("starter/semantic");
    assertThat(m.task()).isEqualTo(ModelTask.IMAGE_TEXT_SIMILARITY);
    assertThat(m.family()).isEqualTo(ModelFamilies.SIGLIP);
    assertThat(m.description()).hasValue("The starter pack's image-text model");
    assertThat(m.license()).isEqualTo("Apache-2.0");
    assertThat(m.memoryBytes()).hasValue(123456);
    assertThat(m.tokenizer()).hasValue("tokenizer/tokenizer.json");
    assertThat(m.files()).containsOnlyKeys("vision", "text");
    assertThat(m.files().get("vision").sha256()).hasValue(SHA);
    assertThat(m.files().get("vision").bytes()).hasValue(2048);
    assertThat(m.files().get("text").sha256()).isEmpty();
    assertThat(m.preprocess().integers("size")).hasValue(List.of(224, 224));
    assertThat(m.preprocess().numbers("mean")).hasValue(List.of(0.5, 0.5, 0.5));
    assertThat(m.preprocess().string("resize")).hasValue("bicubic");
    assertThat(m.preprocess().number("rescale")).hasValue(1 / 255.0);
    assertThat(m.preprocess().section("crop").flatMap(c -> c.flag("center"))).hasValue(true);
    assertThat(m.preprocess().string("absent")).isEmpty();
    assertThat(m.postprocess().number("logit_scale")).hasValue(4.6);
    assertThat(m.labels()).containsExactly("cat", "dog", "3");
    assertThat(m.thresholds()).isEqualTo(Map.of("match", 0.25, "strong", 1.0));
  }

  @Test
  @DisplayName("Only id, task, family, files and license are required")
  void minimalManifest() {
    ModelManifest m =
        ModelManifest.read(manifest(Folders.manifest("vit-tiny", "model:\n  path: model.onnx")));

    assertThat(m.tokenizer()).isEmpty();
    assertThat(m.description()).isEmpty();
    assertThat(m.memoryBytes()).isEmpty();
    assertThat(m.labels()).isEmpty();
    assertThat(m.thresholds()).isEmpty();
    assertThat(m.preprocess().values()).isEmpty();
  }

  @Test
  @DisplayName("An unknown key is refused, naming the manifest, the key and the known keys")
  void unknownTopLevelKey() {
    Path file = manifest(Folders.manifest("m", "model:\n  path: model.onnx") + "colour: blue\n");

    assertThatThrownBy(() -> ModelManifest.read(file))
        .isInstanceOf(ModelException.class)
        .hasMessageStartingWith(file + ": colour: unknown key")
        .hasMessageContaining("memory_bytes");
  }

  @Test
  @DisplayName("An unknown key inside a file entry is refused with its full key")
  void unknownFileKey() {
    Path file = manifest(Folders.manifest("m", "model:\n  path: model.onnx\n  md5: abc"));

    assertThatThrownBy(() -> ModelManifest.read(file))
        .hasMessageStartingWith(file + ": files.model.md5: unknown key; known keys here: bytes,");
  }

  @Test
  @DisplayName("An id outside the pattern is refused")
  void badId() {
    Path file = manifest(Folders.manifest("'-starts-with-a-dash'", "model:\n  path: m.onnx"));

    assertThatThrownBy(() -> ModelManifest.read(file))
        .hasMessage(
            file
                + ": id: must match ^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$, was '-starts-with-a-dash'");
  }

  @Test
  @DisplayName("An unknown task is refused, listing the tasks")
  void badTask() {
    Path file =
        manifest(Folders.manifest("m", "model:\n  path: m.onnx").replace("image-class", "mood"));

    assertThatThrownBy(() -> ModelManifest.read(file))
        .hasMessageStartingWith(file + ": task: unknown task 'moodification'")
        .hasMessageContaining("text-to-image, image-text-similarity");
  }

  @Test
  @DisplayName("A missing required key is named")
  void missingLicense() {
    Path file =
        manifest(
            Folders.manifest("m", "model:\n  path: m.onnx").replace("license: Apache-2.0", ""));

    assertThatThrownBy(() -> ModelManifest.read(file)).hasMessage(file + ": license: is required");
  }

  @Test
  @DisplayName("A file path that leaves the model folder is refused")
  void pathEscapes() {
    Path file = manifest(Folders.manifest("m", "model:\n  path: ../other/model.onnx"));

    assertThatThrownBy(() -> ModelManifest.read(file))
        .hasMessageStartingWith(
            file + ": files.model.path: must be a path inside the model folder");
  }

  @Test
  @DisplayName("A sha256 that is not 64 hexadecimal digits is refused")
  void badSha() {
    Path file = manifest(Folders.manifest("m", "model:\n  path: m.onnx\n  sha256: abc123"));

    assertThatThrownBy(() -> ModelManifest.read(file))
        .hasMessage(file + ": files.model.sha256: expected 64 hexadecimal digits, was 'abc123'");
  }

  @Test
  @DisplayName("Invalid YAML is reported with the file and line")
  void invalidYaml() {
    Path file = manifest("id: m\nfiles: [\n  - x\n task: y\n");

    assertThatThrownBy(() -> ModelManifest.read(file))
        .hasMessageStartingWith(file + ": not valid YAML (line ");
  }

  @Test
  @DisplayName("A key given twice is refused")
  void duplicateKey() {
    Path file = manifest(Folders.manifest("m", "model:\n  path: m.onnx") + "id: again\n");

    assertThatThrownBy(() -> ModelManifest.read(file))
        .hasMessageStartingWith(file + ": not valid YAML")
        .hasMessageContaining("'id'");
  }

  @Test
  @DisplayName("A preprocessing value of the wrong type names the manifest and the key")
  void preprocessType() {
    Path file =
        manifest(
            Folders.manifest("m", "model:\n  path: m.onnx")
                + "preprocess:\n  mean: [0.5, high, 0.5]\n  size: 224.5\n");
    ModelParameters preprocess = ModelManifest.read(file).preprocess();

    assertThatThrownBy(() -> preprocess.numbers("mean"))
        .hasMessage(file + ": preprocess.mean: expected a list of numbers, was '[0.5, high, 0.5]'");
    assertThatThrownBy(() -> preprocess.integer("size"))
        .hasMessage(file + ": preprocess.size: expected a whole number, was '224.5'");
  }

  @Test
  @DisplayName("A threshold must be a number and memory_bytes positive")
  void thresholdsAndMemory() {
    Path thresholds =
        manifest(Folders.manifest("m", "model:\n  path: m.onnx") + "thresholds:\n  nsfw: high\n");
    assertThatThrownBy(() -> ModelManifest.read(thresholds))
        .hasMessage(thresholds + ": thresholds.nsfw: expected a number, was \"high\"");

    Path memory = manifest(Folders.manifest("m", "model:\n  path: m.onnx") + "memory_bytes: 0\n");
    assertThatThrownBy(() -> ModelManifest.read(memory))
        .hasMessage(memory + ": memory_bytes: must be positive, was 0");
  }

  @Test
  @DisplayName("The example in the package documentation is a valid manifest")
  void documentedExample() throws Exception {
    String source =
        Files.readString(Path.of("src/main/java/dev/imajin/inference/model/package-info.java"));
    String block = source.substring(source.indexOf("<pre>{@code") + 11, source.indexOf("}</pre>"));
    String yaml = block.lines().map(l -> l.replaceFirst("^ \\* ?", "")).collect(joining("\n"));

    ModelManifest m = ModelManifest.read(manifest(yaml));

    assertThat(m.id()).isEqualTo("starter/semantic");
    assertThat(m.files()).containsOnlyKeys("vision", "text");
    assertThat(m.preprocess().integers("size")).hasValue(List.of(224, 224));
    assertThat(m.memoryBytes()).hasValue(1_500_000_000L);
  }
}
