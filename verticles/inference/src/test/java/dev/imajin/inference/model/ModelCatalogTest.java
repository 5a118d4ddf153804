package dev.imajin.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {
  @TempDir Path root;
  private Vertx vertx;
  private WorkerExecutor io;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    io = vertx.createSharedWorkerExecutor("catalog-test", 1);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private void model(String folder, String id, String task) {
    Folders.dummy(root.resolve(folder).resolve("model.onnx"), 64);
    Folders.write(
        root.resolve(folder).resolve(ModelManifest.FILE_NAME),
        "id: "
            + id
            + "\ntask: "
            + task
            + "\nfamily: starter\nlicense: MIT\n"
            + "files:\n  model: {path: model.onnx}\n");
  }

  private ModelCatalog catalog() {
    return ModelCatalog.scan(io, List.of(root), "test", ModelTask.IMAGE_REWARD).await();
  }

  private static ImajinException failure(Future<?> future) {
    try {
      future.await();
    } catch (ImajinException e) {
      return e;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  @Test
  @DisplayName("A model resolves by id when it has the task; another task or no such id is a 422")
  void resolves() {
    model("starter/reward", "starter/reward", "image-reward");
    model("classifier", "classifier", "image-classification");
    ModelCatalog catalog = catalog();
    assertThat(catalog.models(ModelTask.IMAGE_REWARD))
        .extracting(ModelEntry::id)
        .containsExactly("starter/reward");
    assertThat(catalog.resolve("starter/reward", ModelTask.IMAGE_REWARD).await().id())
        .isEqualTo("starter/reward");
    ImajinException wrongTask = failure(catalog.resolve("classifier", ModelTask.IMAGE_REWARD));
    assertThat(wrongTask.type()).isEqualTo(ErrorType.UNPROCESSABLE);
    assertThat(wrongTask.getMessage())
        .isEqualTo("model 'classifier' is a image-classification model, not image-reward");
    ImajinException unknown = failure(catalog.resolve("nope", ModelTask.IMAGE_REWARD));
    assertThat(unknown.type()).isEqualTo(ErrorType.UNPROCESSABLE);
    assertThat(unknown.getMessage())
        .startsWith("model 'nope' does not exist: the registry under [" + root)
        .endsWith("(models.roots) has these image-reward models: [starter/reward]");
  }

  @Test
  @DisplayName("A folder the scan refused is named with its reason")
  void refused() {
    Folders.write(root.resolve("broken").resolve(ModelManifest.FILE_NAME), "id: broken\n");
    ImajinException e = failure(catalog().resolve("broken", ModelTask.IMAGE_REWARD));
    assertThat(e.getMessage())
        .startsWith("model 'broken' was refused when the registry scanned it: ")
        .contains("task: is required");
  }

  @Test
  @DisplayName("The preferred id when installed, else the first of the task; none is a 503")
  void preferred() throws Exception {
    ModelCatalog empty = catalog();
    ImajinException none =
        failure(empty.preferred("starter/reward", ModelTask.IMAGE_REWARD, "x.key"));
    assertThat(none.type()).isEqualTo(ErrorType.UNAVAILABLE);
    assertThat(none.getMessage())
        .isEqualTo(
            "Service 'test' is unavailable: no image-reward model is installed: the registry"
                + " scanned ["
                + root
                + "] (models.roots) and found none (x.key names 'starter/reward')");

    model("b", "b", "image-reward");
    model("a", "a", "image-reward");
    Thread.sleep(ModelCatalog.RESCAN_MIN_INTERVAL_MS + 50);
    assertThat(empty.preferred("starter/reward", ModelTask.IMAGE_REWARD, "x.key").await().id())
        .as("rescanned; falls back to the first by id")
        .isEqualTo("a");
    assertThat(empty.preferred("b", ModelTask.IMAGE_REWARD, "x.key").await().id()).isEqualTo("b");
    assertThat(empty.preferred("", ModelTask.IMAGE_REWARD, "x.key").await().id()).isEqualTo("a");
    assertThat(empty.resolve("b", ModelTask.IMAGE_REWARD).await().id()).isEqualTo("b");
  }
}
