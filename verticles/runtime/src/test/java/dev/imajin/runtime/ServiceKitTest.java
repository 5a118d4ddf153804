package dev.imajin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.Contracts;
import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.JobEvent;
import dev.imajin.contracts.common.ServiceInfo;
import dev.imajin.contracts.pipeline.GeneratedImage;
import dev.imajin.contracts.pipeline.ImageGenerationRequest;
import dev.imajin.contracts.pipeline.ImagesResponse;
import dev.imajin.contracts.pipeline.JobEventPage;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The service kit end to end: a service on the real pipeline contract, served over HTTP on a free
 * port and on the event bus, with two operations bound and the rest unbuilt.
 */
class ServiceKitTest {
  private static Vertx vertx;
  private static WebClient http;
  private static TestService service;
  private static OpenAPIContract contract;

  /** Binds createImage (echoes the prompt) and getJob (knows no job). */
  static final class TestService extends ServiceVerticle {
    TestService(ServiceContext context) {
      super(ServiceId.PIPELINE, context);
    }

    @Override
    protected void bind(Operations operations) {
      operations
          .bind("createImage", ImageGenerationRequest.class, ServiceKitTest::echo)
          .bind(
              "getJob",
              in -> Future.failedFuture(ImajinException.notFound("job", in.param("job_id"))))
          .bind(
              "streamJobEvents",
              in -> Future.succeededFuture(new ThreeEvents(in.param("last_event_id"))));
    }

    @Override
    protected Map<String, java.util.function.Supplier<Future<?>>> readinessChecks() {
      return Map.of("always", () -> Future.succeededFuture());
    }
  }

  /** Three events, in two batches with a keep-alive between them; resumes after an id. */
  static final class ThreeEvents implements EventStream {
    static final List<String> CLOSED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String after;
    private int call;

    ThreeEvents(String after) {
      this.after = after;
    }

    static List<JobEvent> all() {
      return IntStream.rangeClosed(1, 3)
          .mapToObj(
              i ->
                  new JobEvent(
                      "1-" + i,
                      "job_0123456789",
                      i == 3 ? JobEvent.Type.COMPLETED : JobEvent.Type.DIFFUSION_STEP,
                      java.time.Instant.EPOCH,
                      null,
                      i == 3 ? null : i,
                      i == 3 ? null : 2,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null))
          .toList();
    }

    private List<Event> events(int from, int to) {
      return all().subList(from, to).stream()
          .filter(e -> after == null || e.id().compareTo(after) > 0)
          .map(
              e ->
                  new Event(
                      e.id(),
                      e.type() == JobEvent.Type.COMPLETED ? "completed" : "diffusion_step",
                      e))
          .toList();
    }

    @Override
    public Future<Batch> next() {
      call++;
      return Future.succeededFuture(
          switch (call) {
            case 1 -> new Batch(events(0, 1), false);
            case 2 -> new Batch(List.of(), false);
            default -> new Batch(events(1, 3), true);
          });
    }

    @Override
    public Future<?> page() {
      return Future.succeededFuture(
          new JobEventPage(
              all().stream().filter(e -> after == null || e.id().compareTo(after) > 0).toList()));
    }

    @Override
    public void close() {
      CLOSED.add(after == null ? "" : after);
    }
  }

  static Future<ImagesResponse> echo(ImageGenerationRequest request) {
    int n = request.n() == null ? ImageGenerationRequest.DEFAULT_N : request.n();
    List<GeneratedImage> images =
        IntStream.range(0, n)
            .mapToObj(
                i ->
                    new GeneratedImage(
                        null,
                        null,
                        request.prompt(),
                        request.seed() == null ? null : request.seed() + i))
            .toList();
    return Future.succeededFuture(
        new ImagesResponse(1_795_000_000L, images, null, null, request.size(), null, null));
  }

  @BeforeAll
  static void deploy() {
    vertx = Vertx.vertx();
    service = new TestService(TestNodes.context(vertx, "http.max-body-bytes=2048"));
    vertx.deployVerticle(service).await();
    http =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("localhost")
                .setDefaultPort(service.actualPort()));
    contract = OpenAPIContract.from(vertx, Contracts.routable(ServiceId.PIPELINE)).await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static HttpResponse<Buffer> post(String path, String body) {
    return http.post(path)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body))
        .await();
  }

  private static JsonObject problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith("urn:imajin:problem:");
    assertThat(problem.getString("service")).isEqualTo("pipeline");
    assertThat(problem.getString("request_id")).isEqualTo(response.getHeader("X-Request-Id"));
    return problem;
  }

  @Test
  @DisplayName("A bound operation answers over HTTP, and its answer is valid against the contract")
  void boundOperationAnswers() {
    HttpResponse<Buffer> response =
        post(
            "/v1/images/generations",
            "{\"prompt\":\"a red star\",\"n\":2,\"seed\":7,\"size\":\"64x64\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getJsonArray("data")).hasSize(2);
    assertThat(body.getJsonArray("data").getJsonObject(1).getLong("seed")).isEqualTo(8L);
    ResponseValidator.create(vertx, contract)
        .validate(
            ValidatableResponse.create(200, response.body(), "application/json"), "createImage")
        .await();
  }

  @Test
  @DisplayName(
      "info lists every operation, says which are built, and is valid against the contract")
  void infoWorks() {
    HttpResponse<Buffer> response = http.get("/v1/info").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    ResponseValidator.create(vertx, contract)
        .validate(ValidatableResponse.create(200, response.body(), "application/json"), "info")
        .await();
    ServiceInfo info = Json.fromJson(response.bodyAsJsonObject(), ServiceInfo.class);
    assertThat(info.service()).isEqualTo("pipeline");
    assertThat(info.build().java()).isEqualTo(System.getProperty("java.version"));
    assertThat(info.operations())
        .extracting(o -> o.operationId() + "=" + o.built())
        .contains(
            "createImage=true", "getJob=true", "info=true", "createJob=false", "getBatch=false");
    assertThat(info.operations())
        .allSatisfy(o -> assertThat(o.address()).isEqualTo("imajin.pipeline." + o.operationId()));
  }

  @Test
  @DisplayName("A body that breaks the contract gets a 400 problem naming the field and the rule")
  void validationProblemNamesField() {
    JsonObject tooMany =
        problem(post("/v1/images/generations", "{\"prompt\":\"a star\",\"n\":11}"), 400);
    assertThat(tooMany.getString("type")).isEqualTo(ErrorType.VALIDATION.uri());
    assertThat(tooMany.getString("detail")).contains("/n").contains("10");
    assertThat(tooMany.getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/n");

    JsonObject missing = problem(post("/v1/images/generations", "{\"n\":1}"), 400);
    assertThat(missing.getString("detail")).isEqualTo("body /prompt: required field is missing");

    JsonObject unknown =
        problem(post("/v1/images/generations", "{\"prompt\":\"x\",\"colour\":\"red\"}"), 400);
    assertThat(unknown.getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/colour");
    assertThat(unknown.getString("detail")).contains("unknown field");

    JsonObject badEnum =
        problem(post("/v1/images/generations", "{\"prompt\":\"x\",\"sampler\":\"heun\"}"), 400);
    assertThat(badEnum.getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/sampler");
  }

  @Test
  @DisplayName("Bad JSON, a bad path parameter and an oversized body get 400, 400 and 413 problems")
  void otherBadRequests() {
    problem(post("/v1/images/generations", "{\"prompt\":"), 400);
    JsonObject badId = problem(http.get("/v1/jobs/x").send().await(), 400);
    assertThat(badId.getString("detail")).contains("job_id");
    problem(post("/v1/images/generations", "{\"prompt\":\"" + "a".repeat(4000) + "\"}"), 413);
  }

  @Test
  @DisplayName("A handler's typed error becomes its problem")
  void handlerErrorBecomesProblem() {
    JsonObject notFound = problem(http.get("/v1/jobs/job_0123456789").send().await(), 404);
    assertThat(notFound.getString("detail")).isEqualTo("job 'job_0123456789' does not exist");
  }

  @Test
  @DisplayName("A valid call of an operation that is not built gets 501; an invalid one gets 400")
  void unboundAnswers501() {
    JsonObject problem = problem(post("/v1/jobs", "{\"prompt\":\"a red star\"}"), 501);
    assertThat(problem.getString("type")).isEqualTo(ErrorType.NOT_IMPLEMENTED.uri());
    assertThat(problem.getString("detail")).contains("createJob");
    problem(post("/v1/jobs", "{}"), 400);
  }

  @Test
  @DisplayName("Unknown paths and methods get 404 and 405 problems")
  void unknownRoutes() {
    problem(http.get("/v1/nothing-here").send().await(), 404);
    problem(http.delete("/v1/images/generations").send().await(), 405);
  }

  @Test
  @DisplayName("A caller's request id is echoed; one is made when absent or unsafe")
  void requestIds() {
    assertThat(
            http.get("/v1/info")
                .putHeader("X-Request-Id", "abc-123")
                .send()
                .await()
                .getHeader("X-Request-Id"))
        .isEqualTo("abc-123");
    assertThat(
            http.get("/v1/info")
                .putHeader("X-Request-Id", "bad id; rm -rf")
                .send()
                .await()
                .getHeader("X-Request-Id"))
        .startsWith("req_");
  }

  @Test
  @DisplayName("Health, metrics and the contract are served")
  void operationalEndpoints() {
    assertThat(http.get("/health/live").send().await().bodyAsJsonObject().getString("status"))
        .isEqualTo("UP");
    HttpResponse<Buffer> ready = http.get("/health/ready").send().await();
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getString("always"))
        .isEqualTo("UP");
    post("/v1/images/generations", "{\"prompt\":\"a red star\"}");
    assertThat(http.get("/metrics").send().await().bodyAsString())
        .contains(
            "imajin_operation_seconds_count{operation=\"createImage\",outcome=\"ok\",service=\"pipeline\",transport=\"http\"}");
    String yaml = http.get("/openapi.yaml").send().await().bodyAsString();
    assertThat(yaml)
        .contains("openapi: 3.1.0")
        .contains("url: http://localhost:" + service.actualPort())
        .doesNotContain("common.yaml#");
  }

  @Test
  @DisplayName(
      "An event stream is written as Server-Sent Events, or as its page to JSON and bus callers")
  void eventStreams() {
    HttpResponse<Buffer> sse = http.get("/v1/jobs/job_0123456789/events").send().await();
    assertThat(sse.statusCode()).isEqualTo(200);
    assertThat(sse.getHeader("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
    String body = sse.bodyAsString();
    assertThat(body).contains(": keep-alive\n\n");
    assertThat(body.lines().filter(l -> l.startsWith("id: ")).toList())
        .containsExactly("id: 1-1", "id: 1-2", "id: 1-3");
    assertThat(body).contains("event: completed\ndata: {\"id\":\"1-3\",");
    assertThat(
            http.get("/v1/jobs/job_0123456789/events")
                .putHeader("Last-Event-ID", "1-2")
                .send()
                .await()
                .bodyAsString()
                .lines()
                .filter(l -> l.startsWith("id: ")))
        .containsExactly("id: 1-3");
    HttpResponse<Buffer> json =
        http.get("/v1/jobs/job_0123456789/events")
            .putHeader("Accept", "application/json")
            .putHeader("Last-Event-ID", "1-1")
            .send()
            .await();
    assertThat(json.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(json.bodyAsJsonObject().getJsonArray("events")).hasSize(2);
    JsonObject page =
        (JsonObject)
            vertx
                .eventBus()
                .request(
                    Addresses.of(ServiceId.PIPELINE, "streamJobEvents"),
                    new JsonObject().put("job_id", "job_0123456789"))
                .await()
                .body();
    assertThat(page.getJsonArray("events")).hasSize(3);
    assertThat(ThreeEvents.CLOSED).containsExactlyInAnyOrder("", "1-2", "1-1", "");
  }

  @Test
  @DisplayName("A peer without imajin's classes calls over the bus with JSON and gets JSON back")
  void plainJsonOverBus() {
    Object reply =
        vertx
            .eventBus()
            .request(
                Addresses.of(ServiceId.PIPELINE, "createImage"),
                new JsonObject().put("prompt", "a blue ring").put("n", 1))
            .await()
            .body();
    assertThat(reply).isInstanceOf(JsonObject.class);
    assertThat(((JsonObject) reply).getJsonArray("data")).hasSize(1);
  }

  @Test
  @DisplayName("Over the bus, failures are ReplyExceptions with the HTTP status and the problem")
  void busFailures() {
    assertThatThrownBy(
            () ->
                vertx
                    .eventBus()
                    .request(
                        Addresses.of(ServiceId.PIPELINE, "createImage"),
                        new JsonObject().put("prompt", "x").put("n", 0))
                    .await())
        .isInstanceOfSatisfying(
            ReplyException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(400);
              JsonObject problem = new JsonObject(e.getMessage());
              assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("pointer"))
                  .isEqualTo("/n");
            });
    assertThatThrownBy(
            () ->
                vertx
                    .eventBus()
                    .request(
                        Addresses.of(ServiceId.PIPELINE, "getJob"),
                        new JsonObject().put("job_id", "job_0123456789"))
                    .await())
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(404));
    assertThatThrownBy(
            () ->
                vertx
                    .eventBus()
                    .request(
                        Addresses.of(ServiceId.PIPELINE, "getBatch"),
                        new JsonObject().put("batch_id", "bat_0123456789"))
                    .await())
        .isInstanceOfSatisfying(
            ReplyException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(501);
              assertThat(new JsonObject(e.getMessage()).getString("type"))
                  .isEqualTo(ErrorType.NOT_IMPLEMENTED.uri());
            });
    assertThatThrownBy(
            () ->
                vertx
                    .eventBus()
                    .request(
                        Addresses.of(ServiceId.PIPELINE, "createImage"), new JsonArray().add(1))
                    .await())
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
  }

  @Test
  @DisplayName("The typed client sends records and maps problems to exceptions naming the service")
  void typedClient() {
    ServiceClient client = new ServiceClient(vertx, ServiceId.PIPELINE, 5_000);
    ImageGenerationRequest request =
        new ImageGenerationRequest(
            "a white square",
            null,
            3,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            100L,
            null,
            null,
            null,
            null,
            null);
    ImagesResponse response =
        client.call("createImage", request, ImagesResponse.class, "req-1").await();
    assertThat(response.data()).extracting(GeneratedImage::seed).containsExactly(100L, 101L, 102L);

    assertThatThrownBy(
            () ->
                client
                    .call(
                        "getJob",
                        new JsonObject().put("job_id", "job_0123456789"),
                        JsonObject.class,
                        null)
                    .await())
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.NOT_FOUND);
              assertThat(e.service()).isEqualTo("pipeline");
            });
    ServiceClient absent = new ServiceClient(vertx, ServiceId.PROXY, 1_000);
    assertThatThrownBy(() -> absent.call("info", null, ServiceInfo.class, null).await())
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.getMessage()).contains("proxy");
            });
  }
}
