package dev.imajin.semantic.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.ImajinException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
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

  private void model(String id, String task, boolean usable) throws IOException {
    Path folder = root.resolve(id);
    Files.createDirectories(folder.resolve("tokenizer"));
    Files.writeString(folder.resolve("vision_model.onnx"), "v");
    Files.writeString(folder.resolve("text_model.onnx"), "t");
    Files.writeString(
        folder.resolve("imajin-model.yaml"),
        """
        id: %s
        task: %s
        family: siglip
        license: Apache-2.0
        files:
          vision_model: {path: vision_model.onnx}
          text_model: {path: text_model.onnx}
        tokenizer: tokenizer
        postprocess: {logit_scale: 2.3%s}
        """
            .formatted(id, task, usable ? ", logit_bias: -5" : ""));
  }

  private Catalog catalog(String defaultModel) {
    return Catalog.scan(io, List.of(root), defaultModel).await();
  }

  private static ImajinException failure(Future<?> future) {
    Throwable cause = future.transform(done -> Future.succeededFuture(done.cause())).await();
    assertThat(cause).isInstanceOf(ImajinException.class);
    return (ImajinException) cause;
  }

  @Test
  @DisplayName("No model named: the configured default, else the first by id")
  void defaults() throws IOException {
    model("b/second", "image-text-similarity", true);
    model("a/first", "image-text-similarity", true);
    model("0/other-task", "image-reward", true);
    assertThat(catalog("b/second").resolve(null).await().id()).isEqualTo("b/second");
    assertThat(catalog("starter/semantic").resolve(null).await().id()).isEqualTo("a/first");
    assertThat(catalog("").resolve(null).await().id()).isEqualTo("a/first");
    assertThat(catalog("").resolve("b/second").await().id()).isEqualTo("b/second");
  }

  @Test
  @DisplayName("A refused default is a 422 naming semantic.default-model; none installed is a 503")
  void refusals() throws IOException {
    model("a/first", "image-text-similarity", true);
    model("b/broken", "image-text-similarity", false);
    ImajinException refused = failure(catalog("b/broken").resolve(null));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.getMessage())
        .startsWith("model 'b/broken' cannot be used:")
        .contains("postprocess.logit_bias: missing")
        .endsWith("(semantic.default-model)");
    assertThat(refused.errors()).isEmpty();
    ImajinException named = failure(catalog("").resolve("b/broken"));
    assertThat(named.errors().get(0).pointer()).isEqualTo("/model");

    Path empty = root.resolve("empty");
    ImajinException none =
        failure(Catalog.scan(io, List.of(empty), "starter/semantic").await().resolve(null));
    assertThat(none.status()).isEqualTo(503);
    assertThat(none.service()).isEqualTo("semantic");
    assertThat(none.getMessage())
        .contains("no semantic model is installed")
        .contains("(models.roots)")
        .contains(empty.toString());
  }

  @Test
  @DisplayName("A model added after the scan is found once the scan is older than the minimum")
  void rescans() throws Exception {
    Catalog catalog = catalog("");
    assertThat(failure(catalog.resolve("late")).status()).isEqualTo(422);
    model("late", "image-text-similarity", true);
    Thread.sleep(Catalog.RESCAN_MIN_INTERVAL_MS + 50);
    assertThat(catalog.resolve("late").await().id()).isEqualTo("late");
    // And again: each scan that finds nothing new leaves the next one free to run.
    assertThat(failure(catalog.resolve("later")).status()).isEqualTo(422);
    model("later", "image-text-similarity", true);
    Thread.sleep(Catalog.RESCAN_MIN_INTERVAL_MS + 50);
    assertThat(catalog.resolve("later").await().id()).isEqualTo("later");
  }
}
