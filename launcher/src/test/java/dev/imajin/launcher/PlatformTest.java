package dev.imajin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.imajin.contracts.Contracts;
import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole platform in one JVM, as {@code imajin run} starts it, checked service by service. */
class PlatformTest {
  private static Node node;
  private static Vertx client;
  private static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    node = Node.start(TestNodes.config(), Set.of()).toCompletionStage().toCompletableFuture().get();
    client = Vertx.vertx();
    http = WebClient.create(client);
  }

  @AfterAll
  static void stop() {
    node.stop().await();
    client.close().await();
  }

  private static int port(ServiceId id) {
    return node.ports().get(id);
  }

  @ParameterizedTest
  @EnumSource(ServiceId.class)
  @DisplayName(
      "Every service is live and ready (the moderator, without models, says which layers cannot"
          + " run), and answers info over HTTP")
  void readyWithInfo(ServiceId id) {
    HttpResponse<Buffer> live = http.get(port(id), "localhost", "/health/live").send().await();
    assertThat(live.statusCode()).as(live.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> ready = http.get(port(id), "localhost", "/health/ready").send().await();
    if (id == ServiceId.MODERATOR) {
      // this node has no models: every required layer would fail closed, once it has tried them
      long end = System.nanoTime() + 30_000_000_000L;
      while (!ready.bodyAsString().contains("image_classifier") && System.nanoTime() < end) {
        ready = http.get(port(id), "localhost", "/health/ready").send().await();
      }
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(503);
      assertThat(ready.bodyAsString()).contains("image_classifier", "starter/prohibited");
    } else {
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    }
    JsonObject info = http.get(port(id), "localhost", "/v1/info").send().await().bodyAsJsonObject();
    assertThat(info.getString("service")).isEqualTo(id.id());
    assertThat(
            info.getJsonArray("operations").stream()
                .map(o -> ((JsonObject) o).getString("operation_id")))
        .contains("info");
  }

  @ParameterizedTest
  @EnumSource(ServiceId.class)
  @DisplayName("Every service serves its whole, self-contained contract with its own address")
  void servesContract(ServiceId id) throws Exception {
    String yaml = http.get(port(id), "localhost", "/openapi.yaml").send().await().bodyAsString();
    JsonObject served =
        new JsonObject(new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class));
    assertThat(served.getJsonArray("servers").getJsonObject(0).getString("url"))
        .isEqualTo("http://localhost:" + port(id));
    JsonObject expected = Contracts.bundled(id).copy();
    expected.remove("servers");
    served.remove("servers");
    assertThat(served).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(ServiceId.class)
  @DisplayName(
      "Each unbuilt operation answers its own example with 501, and a broken body with 400")
  void unbuiltOperationsAnswer501AndValidate(ServiceId id) {
    JsonObject paths = Contracts.bundled(id).getJsonObject("paths");
    Set<String> built =
        http
            .get(port(id), "localhost", "/v1/info")
            .send()
            .await()
            .bodyAsJsonObject()
            .getJsonArray("operations")
            .stream()
            .map(o -> (JsonObject) o)
            .filter(o -> o.getBoolean("built"))
            .map(o -> o.getString("operation_id"))
            .collect(java.util.stream.Collectors.toSet());
    int checked = 0;
    for (String path : paths.fieldNames()) {
      JsonObject post = paths.getJsonObject(path).getJsonObject("post");
      if (post == null || path.contains("{") || post.getJsonObject("requestBody") == null) {
        continue;
      }
      JsonObject media =
          resolve(id, post.getJsonObject("requestBody"))
              .getJsonObject("content")
              .getJsonObject("application/json");
      Object example = media == null ? null : media.getValue("example");
      if (example == null && media != null && media.containsKey("examples")) {
        JsonObject examples = media.getJsonObject("examples");
        example =
            resolve(id, examples.getJsonObject(examples.fieldNames().iterator().next()))
                .getValue("value");
      }
      if (!(example instanceof JsonObject body)) {
        continue;
      }
      if (!built.contains(post.getString("operationId"))) {
        JsonObject valid =
            problem(http.post(port(id), "localhost", path).sendJsonObject(body).await(), 501);
        assertThat(valid.getString("type")).isEqualTo(ErrorType.NOT_IMPLEMENTED.uri());
      }
      JsonObject broken = body.copy().put("no_such_field", true);
      JsonObject invalid =
          problem(http.post(port(id), "localhost", path).sendJsonObject(broken).await(), 400);
      assertThat(invalid.getString("type")).isEqualTo(ErrorType.VALIDATION.uri());
      assertThat(invalid.encode()).as("%s %s names the field", id, path).contains("no_such_field");
      checked++;
    }
    assertThat(checked).as("operations of %s checked", id).isPositive();
  }

  private static JsonObject problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    return response.bodyAsJsonObject();
  }

  private static JsonObject resolve(ServiceId id, JsonObject node) {
    while (node != null && node.containsKey("$ref")) {
      node =
          (JsonObject)
              JsonPointer.from(node.getString("$ref").substring(1))
                  .queryJson(Contracts.bundled(id));
    }
    return node;
  }
}
