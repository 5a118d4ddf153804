package dev.imajin.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir Path root;

  /** A classifier folder whose manifest pins the digest and size of its one file. */
  private Path classifier(Path folder, String id) {
    Path model = Folders.dummy(folder.resolve("model.onnx"), 4096);
    Folders.write(
        folder.resolve(ModelManifest.FILE_NAME),
        Folders.manifest(
                id,
                """
                model:
                  path: model.onnx
                  sha256: %s
                  bytes: 4096"""
                    .formatted(Folders.sha256(model)))
            + "labels: [cat, dog]\n");
    return folder;
  }

  @Test
  @DisplayName("A manifest folder becomes an entry with its files, sizes and an estimate")
  void manifestEntry() {
    Path folder = classifier(root.resolve("vit"), "starter/vit");

    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    assertThat(registry.problems()).isEmpty();
    ModelEntry entry = registry.require("starter/vit");
    assertThat(entry.task()).isEqualTo(ModelTask.IMAGE_CLASSIFICATION);
    assertThat(entry.family()).isEqualTo("vit");
    assertThat(entry.source()).isEqualTo(ModelEntry.Source.MANIFEST);
    assertThat(entry.folder()).isEqualTo(folder);
    assertThat(entry.manifest().orElseThrow().labels()).containsExactly("cat", "dog");
    ResolvedFile model = entry.requireFile("model");
    assertThat(model.path()).isEqualTo(folder.resolve("model.onnx"));
    assertThat(model.relativePath()).isEqualTo("model.onnx");
    assertThat(model.bytes()).isEqualTo(4096);
    assertThat(entry.memoryBytes()).isEqualTo((long) Math.ceil(4096 * ModelRegistry.MEMORY_FACTOR));
    assertThat(entry.warnings()).isEmpty();
    assertThat(registry.verify(entry)).isSameAs(entry);
  }

  @Test
  @DisplayName("The memory estimate counts external data beside an ONNX file; memory_bytes wins")
  void memoryEstimate() throws Exception {
    Path folder = root.resolve("clf");
    Folders.dummy(folder.resolve("model.onnx"), 1000);
    Folders.dummy(folder.resolve("model.onnx_data"), 9000);
    Folders.dummy(folder.resolve("labels.txt"), 50);
    Folders.write(
        folder.resolve(ModelManifest.FILE_NAME),
        Folders.manifest("clf", "model:\n  path: model.onnx\nlabels:\n  path: labels.txt"));
    Path pinned = classifier(root.resolve("pinned"), "pinned");
    Files.writeString(
        pinned.resolve(ModelManifest.FILE_NAME),
        "memory_bytes: 777\n",
        java.nio.file.StandardOpenOption.APPEND);

    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    ModelEntry entry = registry.require("clf");
    assertThat(entry.memoryBytes())
        .isEqualTo((long) Math.ceil(10000 * ModelRegistry.MEMORY_FACTOR));
    assertThat(entry.warnings())
        .contains(
            "model.onnx_data holds external weights but is not listed in files; it is not checked")
        .contains("files.model (model.onnx) has no sha256; it is not checked");
    assertThat(registry.require("pinned").memoryBytes()).isEqualTo(777);
  }

  @Test
  @DisplayName("Models are found at any depth up to four, in several roots, not inside a model")
  void nestedRoots(@TempDir Path second) {
    classifier(root.resolve("a"), "a");
    classifier(root.resolve("x/y/z/deep"), "deep");
    classifier(root.resolve("x/y/z/w/too-deep"), "too-deep");
    classifier(root.resolve("a/inner"), "inner");
    classifier(root.resolve(".hidden/model"), "hidden");
    Folders.optimumSd15(second.resolve("sd/sd15-onnx"));

    ModelRegistry registry = ModelRegistry.scan(List.of(root, second, root.resolve("absent")));

    assertThat(registry.models())
        .extracting(ModelEntry::id)
        .containsExactly("a", "deep", "sd/sd15-onnx");
    assertThat(registry.roots()).containsExactly(root, second, root.resolve("absent"));
    assertThat(registry.problems())
        .containsExactly(root.resolve("absent") + ": model root does not exist or is not a folder");
  }

  @Test
  @DisplayName("A root that is itself a model folder is loaded")
  void rootIsModel() {
    Folders.legacy(root, "OnnxStableDiffusionPipeline");

    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    assertThat(registry.models())
        .extracting(ModelEntry::id)
        .containsExactly(root.getFileName().toString());
  }

  @Test
  @DisplayName("A broken folder is reported with its file while the others load")
  void brokenFolderReported() {
    classifier(root.resolve("good"), "good");
    Path bad = root.resolve("bad");
    Folders.write(
        bad.resolve(ModelManifest.FILE_NAME),
        Folders.manifest("bad", "model:\n  path: model.onnx"));
    Path badJson = root.resolve("sd-broken");
    Folders.optimumSd15(badJson);
    Folders.write(badJson.resolve("unet/config.json"), "{\"sample_size\": 64,");

    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    assertThat(registry.models()).extracting(ModelEntry::id).containsExactly("good");
    assertThat(registry.problems()).hasSize(2);
    assertThat(registry.problems().get(0))
        .isEqualTo(
            bad.resolve(ModelManifest.FILE_NAME)
                + ": files.model: model.onnx does not exist ("
                + bad.resolve("model.onnx")
                + ")");
    assertThat(registry.problems().get(1))
        .startsWith(badJson.resolve("unet/config.json") + ": not a valid JSON object");
  }

  @Test
  @DisplayName("A file whose size differs from the manifest's is refused at scan")
  void sizeMismatch() {
    Path folder = classifier(root.resolve("m"), "m");
    Folders.dummy(folder.resolve("model.onnx"), 4000);

    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    assertThat(registry.problems())
        .containsExactly(
            folder.resolve(ModelManifest.FILE_NAME)
                + ": files.model: "
                + folder.resolve("model.onnx")
                + " has 4000 bytes, the manifest says 4096");
  }

  @Test
  @DisplayName("verify refuses a file whose digest differs, naming the file")
  void shaMismatch() {
    Path folder = classifier(root.resolve("m"), "m");
    Folders.dummy(folder.resolve("model.onnx"), 4096, 99);
    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    assertThatThrownBy(() -> registry.verify(registry.require("m")))
        .isInstanceOf(ModelException.class)
        .hasMessageStartingWith(
            "model 'm': file model.onnx (model) does not match its sha256: "
                + folder.resolve("model.onnx")
                + " hashes to "
                + Folders.sha256(folder.resolve("model.onnx")));
  }

  @Test
  @DisplayName("verify refuses a file removed after the scan, naming it")
  void missingAtVerify() throws Exception {
    Path folder = Folders.optimumSd15(root.resolve("sd"));
    ModelRegistry registry = ModelRegistry.scan(List.of(root));
    Files.delete(folder.resolve("unet/model.onnx_data"));

    assertThatThrownBy(() -> registry.verify(registry.require("sd")))
        .hasMessage(
            "model 'sd': file unet/model.onnx_data is missing: "
                + folder.resolve("unet/model.onnx_data"));
  }

  @Test
  @DisplayName("A second check of unchanged files does not hash them again")
  void verifyCaches() {
    classifier(root.resolve("m"), "m");
    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    registry.verify(registry.require("m"));
    registry.verify(registry.require("m"));

    assertThat(registry.hasher().computed()).isEqualTo(1);
  }

  @Test
  @DisplayName("Two folders with one id: the first keeps it, the second is a problem")
  void duplicateIds() {
    Path first = classifier(root.resolve("one"), "same");
    Path second = classifier(root.resolve("two"), "same");

    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    assertThat(registry.require("same").folder()).isEqualTo(first);
    assertThat(registry.problems())
        .containsExactly(second + ": model id 'same' is already taken by " + first);
  }

  @Test
  @DisplayName("An unknown id is a not-found error; find answers empty")
  void unknownId() {
    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    assertThat(registry.find("nope")).isEmpty();
    assertThatThrownBy(() -> registry.require("nope"))
        .isInstanceOfSatisfying(
            ImajinException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.NOT_FOUND))
        .hasMessage("model 'nope' does not exist");
  }

  @Test
  @DisplayName("Only text-to-image models have a diffusion layout")
  void layoutOfClassifier() {
    classifier(root.resolve("m"), "m");
    ModelRegistry registry = ModelRegistry.scan(List.of(root));

    assertThatThrownBy(() -> registry.layout(registry.require("m")))
        .isInstanceOf(ModelException.class)
        .hasMessage("model 'm' is image-classification, not text-to-image");
  }
}
