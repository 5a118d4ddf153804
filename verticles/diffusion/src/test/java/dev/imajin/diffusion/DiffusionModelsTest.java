package dev.imajin.diffusion;

import static dev.imajin.diffusion.DiffusionNode.ok;
import static dev.imajin.diffusion.DiffusionNode.problem;
import static dev.imajin.inference.testing.SdVariant.Family.LCM;
import static dev.imajin.inference.testing.SdVariant.Family.SD15;
import static dev.imajin.inference.testing.SdVariant.Family.SD21;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.diffusion.DiffusionModel;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.runtime.ServiceClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's diffusion models over HTTP and the bus: listing, loading, refusals. */
class DiffusionModelsTest {
  @TempDir static Path models;
  private static DiffusionNode node;

  @BeforeAll
  static void start() throws Exception {
    DiffusionNode.model(models, "sd15", SdVariant.optimum1_24(SD15));
    DiffusionNode.model(models, "sd21-script", SdVariant.diffusersScript(SD21));
    DiffusionNode.model(models, "sdxl", SdVariant.optimum1_24(SDXL));
    DiffusionNode.model(models, "lcm", SdVariant.optimum1_24(LCM));
    DiffusionNode.corrupt(
        DiffusionNode.model(models, "broken", SdVariant.optimum1_24(SD15))
            .resolve("unet/model.onnx"));
    Path missing = DiffusionNode.model(models, "no-unet", SdVariant.optimum1_24(SD15));
    Files.delete(missing.resolve("unet/model.onnx"));
    node = DiffusionNode.start(models, "diffusion.load-wait-ms=300");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static Map<String, JsonObject> byId(JsonArray list) {
    return list.stream()
        .map(JsonObject.class::cast)
        .collect(Collectors.toMap(m -> m.getString("id"), m -> m));
  }

  @Test
  @DisplayName("listModels describes every recognised export; a refused folder is left out")
  void listsModels() {
    var response = node.get("/v1/models");
    Map<String, JsonObject> listed =
        byId(node.valid("listModels", response).getJsonArray("models"));
    assertThat(listed.keySet())
        .containsExactlyInAnyOrder("broken", "lcm", "sd15", "sd21-script", "sdxl");
    JsonObject sd15 = listed.get("sd15");
    assertThat(sd15.getString("family")).isEqualTo("sd1");
    assertThat(sd15.getString("variant")).isEqualTo("base");
    assertThat(sd15.getString("layout")).isEqualTo("optimum");
    assertThat(sd15.getString("state")).isEqualTo("available");
    assertThat(sd15.getString("prediction_type")).isEqualTo("epsilon");
    assertThat(sd15.getJsonArray("capabilities")).containsExactly("txt2img", "img2img", "inpaint");
    assertThat(sd15.getJsonObject("native_size").getInteger("width")).isEqualTo(512);
    assertThat(sd15.getJsonObject("max_size").getInteger("width")).isEqualTo(1024);
    assertThat(sd15.getInteger("size_multiple")).isEqualTo(8);
    // The fixture ships PNDM, as SD 1.5 does; imajin does not run it and picks DPM++ 2M.
    assertThat(sd15.getString("default_scheduler")).isEqualTo("dpmpp_2m");
    assertThat(sd15.getJsonArray("schedulers")).doesNotContain("lcm");
    assertThat(sd15.getLong("bytes")).isPositive();
    JsonObject sd21 = listed.get("sd21-script");
    assertThat(List.of(sd21.getString("family"), sd21.getString("layout")))
        .containsExactly("sd2", "diffusers_onnx");
    // A diffusers-script export has no unet/config.json: the registry assumes sample_size 64.
    assertThat(sd21.getJsonObject("native_size").getInteger("height")).isEqualTo(512);
    assertThat(listed.get("sdxl").getString("family")).isEqualTo("sdxl");
    assertThat(listed.get("sdxl").getDouble("default_guidance")).isEqualTo(5.0);
    JsonObject lcm = listed.get("lcm");
    assertThat(List.of(lcm.getString("variant"), lcm.getString("default_scheduler")))
        .containsExactly("lcm", "lcm");
    assertThat(lcm.getInteger("default_steps")).isEqualTo(4);
  }

  @Test
  @DisplayName(
      "getModel lists the files; unknown ids are 404, a folder the scan refused is 422 naming the file")
  void getsModels() {
    JsonObject sd15 = ok(node.get("/v1/models/sd15"));
    List<String> files =
        sd15.getJsonArray("components").stream()
            .map(c -> ((JsonObject) c).getString("file"))
            .toList();
    assertThat(files)
        .contains("unet/model.onnx", "unet/model.onnx_data", "text_encoder/model.onnx");
    assertThat(problem(node.get("/v1/models/nothing-here"), 404).getString("detail"))
        .isEqualTo("model 'nothing-here' does not exist");
    var refusal = node.get("/v1/models/no-unet");
    node.valid("getModel", refusal);
    String refused = problem(refusal, 404).getString("detail");
    assertThat(refused).contains("no-unet").contains("unet/model.onnx").contains("is missing");
    var load = node.post("/v1/models/no-unet/load", null);
    node.valid("loadModel", load);
    assertThat(problem(load, 422).getString("detail")).contains("unet/model.onnx");
  }

  @Test
  @DisplayName(
      "Loading takes a resident lease the GPU Boss shows and hashes every file; unloading frees it")
  void loadsAndUnloads() throws Exception {
    var response = node.post("/v1/models/sd15/load", new JsonObject());
    JsonObject loaded = ok(response);
    node.valid("loadModel", response);
    assertThat(loaded.getString("state")).isEqualTo("loaded");
    assertThat(loaded.getString("device")).isEqualTo("cpu");
    assertThat(loaded.getString("loaded_at")).isNotBlank();
    for (Object c : loaded.getJsonArray("components")) {
      JsonObject component = (JsonObject) c;
      assertThat(component.getString("sha256"))
          .as(component.getString("file"))
          .isEqualTo(sha256(models.resolve("sd15").resolve(component.getString("file"))));
    }
    JsonArray leases =
        ok(node.gpuBoss("/v1/leases?holder=" + node.holder())).getJsonArray("leases");
    assertThat(leases).hasSize(1);
    assertThat(leases.getJsonObject(0).getString("model")).isEqualTo("sd15");
    assertThat(leases.getJsonObject(0).getBoolean("resident")).isTrue();
    assertThat(ok(node.post("/v1/models/sd15/load", null)).getString("state")).isEqualTo("loaded");
    assertThat(ok(node.get("/v1/info")).getJsonArray("models").getJsonObject(0).getString("id"))
        .isEqualTo("sd15");

    JsonObject unloaded = ok(node.post("/v1/models/sd15/unload", null));
    assertThat(unloaded.getString("state")).isEqualTo("available");
    assertThat(ok(node.gpuBoss("/v1/leases?holder=" + node.holder())).getJsonArray("leases"))
        .isEmpty();
    assertThat(ok(node.post("/v1/models/sd15/unload", null)).getString("state"))
        .isEqualTo("available");
  }

  @Test
  @DisplayName("A graph ONNX Runtime refuses is a 422 naming the file, and the model shows failed")
  void refusesABrokenGraph() {
    String detail = problem(node.post("/v1/models/broken/load", null), 422).getString("detail");
    assertThat(detail).contains("unet").contains("model.onnx");
    JsonObject broken = ok(node.get("/v1/models/broken"));
    assertThat(broken.getString("state")).isEqualTo("failed");
    assertThat(broken.getString("error")).contains("model.onnx");
    assertThat(ok(node.gpuBoss("/v1/leases?holder=" + node.holder())).getJsonArray("leases"))
        .noneMatch(l -> "broken".equals(((JsonObject) l).getString("model")));
  }

  @Test
  @DisplayName("When the GPU Boss has no memory in time, its 409 passes through with a retry hint")
  void passesTheGpuBossRefusalThrough() {
    var boss = node.gpuBoss.service();
    var blocker =
        boss.acquireLease(
                new LeaseRequest(
                    "cpu",
                    DiffusionNode.CPU_CAPACITY - 1000,
                    "blocker@test",
                    5,
                    false,
                    null,
                    30_000,
                    0),
                null)
            .await();
    try {
      var refused = node.post("/v1/models/sdxl/load", new JsonObject().put("deadline_ms", 200));
      JsonObject problem = problem(refused, 409);
      assertThat(problem.getString("service")).isEqualTo("gpu-boss");
      assertThat(refused.getHeader("Retry-After")).isNotNull();
      node.valid("loadModel", refused);
      assertThat(ok(node.get("/v1/models/sdxl")).getString("state")).isEqualTo("failed");
      var generation =
          node.post(
              "/v1/generate",
              new JsonObject()
                  .put("model", "sdxl")
                  .put("prompt", "a cat")
                  .put("width", 64)
                  .put("height", 64));
      node.valid("generate", generation);
      assertThat(problem(generation, 503).getString("service")).isEqualTo("gpu-boss");
      assertThat(generation.getHeader("Retry-After")).isNotNull();
    } finally {
      boss.releaseLease(
              blocker.leaseId(),
              new dev.imajin.contracts.gpuboss.ReleaseRequest(blocker.fencingToken()))
          .await();
    }
  }

  @Test
  @DisplayName("The same operations answer on the event bus, with records or plain JSON")
  void overTheBus() {
    ServiceClient client = new ServiceClient(node.vertx, ServiceId.DIFFUSION, 30_000);
    DiffusionModel lcm =
        client
            .call("loadModel", new JsonObject().put("model_id", "lcm"), DiffusionModel.class, null)
            .await();
    assertThat(lcm.state()).isEqualTo(DiffusionModel.State.LOADED);
    assertThat(lcm.variant()).isEqualTo(DiffusionModel.Variant.LCM);
    Object list =
        node.vertx
            .eventBus()
            .request(Addresses.Diffusion.LIST_MODELS, new JsonObject())
            .await()
            .body();
    assertThat(((JsonObject) list).getJsonArray("models")).hasSize(5);
    DiffusionModel unloaded =
        client
            .call(
                "unloadModel", new JsonObject().put("model_id", "lcm"), DiffusionModel.class, null)
            .await();
    assertThat(unloaded.state()).isEqualTo(DiffusionModel.State.AVAILABLE);
  }

  static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      digest.update(in.readAllBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
