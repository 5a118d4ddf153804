package dev.imajin.diffusion;

import static dev.imajin.diffusion.DiffusionNode.ok;
import static dev.imajin.diffusion.DiffusionNode.problem;
import static dev.imajin.inference.testing.SdVariant.Family.SD15;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.contracts.Addresses;
import dev.imajin.inference.testing.SdVariant;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generations as jobs: state, events over SSE with resume, cancellation, the queue's bound. */
class DiffusionJobsTest {
  @TempDir static Path models;
  private static DiffusionNode node;

  @BeforeAll
  static void start() throws Exception {
    DiffusionNode.model(models, "sd15", SdVariant.optimum1_24(SD15));
    DiffusionNode.corrupt(
        DiffusionNode.model(models, "broken", SdVariant.optimum1_24(SD15))
            .resolve("vae_decoder/model.onnx"));
    node = DiffusionNode.start(models, "diffusion.max-queued=1");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** One Server-Sent Event as received. */
  record Sse(String id, String event, JsonObject data) {}

  static List<Sse> parse(String body) {
    List<Sse> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String id = null;
      String event = null;
      JsonObject data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = new JsonObject(line.substring(6));
        }
      }
      if (data != null) {
        events.add(new Sse(id, event, data));
      }
    }
    return events;
  }

  static HttpResponse<Buffer> events(String jobId, String lastEventId) {
    var request =
        node.http.get(node.diffusion.actualPort(), "localhost", "/v1/jobs/" + jobId + "/events");
    if (lastEventId != null) {
      request.putHeader("Last-Event-ID", lastEventId);
    }
    return request.send().await();
  }

  static JsonObject generate(int steps, int n, int size) {
    return new JsonObject()
        .put("model", "sd15")
        .put("prompt", "a red circle")
        .put("width", size)
        .put("height", size)
        .put("steps", steps)
        .put("n", n)
        .put("seed", 9)
        .put("preview_every", 1);
  }

  static String create(JsonObject generate) {
    JsonObject job = ok(node.post("/v1/jobs", new JsonObject().put("generate", generate)));
    assertThat(job.getString("state")).isEqualTo("queued");
    return job.getString("id");
  }

  static JsonObject job(String id) {
    return ok(node.get("/v1/jobs/" + id));
  }

  @Test
  @DisplayName(
      "A job's events stream as SSE with ids, in order, ending after the final one; Last-Event-ID resumes")
  void streamsAJob() {
    String key = "key-" + UUID.randomUUID();
    var created =
        node.http
            .post(node.diffusion.actualPort(), "localhost", "/v1/jobs")
            .putHeader("Idempotency-Key", key)
            .sendJsonObject(new JsonObject().put("generate", generate(3, 1, 64)))
            .await();
    assertThat(created.statusCode()).isEqualTo(202);
    node.valid("createJob", created);
    JsonObject job = created.bodyAsJsonObject();
    String id = job.getString("id");
    assertThat(job.getString("events_url")).isEqualTo("/v1/jobs/" + id + "/events");
    var again =
        node.http
            .post(node.diffusion.actualPort(), "localhost", "/v1/jobs")
            .putHeader("Idempotency-Key", key)
            .sendJsonObject(new JsonObject().put("generate", generate(3, 1, 64)))
            .await();
    assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(id);

    HttpResponse<Buffer> stream = events(id, null);
    assertThat(stream.getHeader("Content-Type")).startsWith("text/event-stream");
    List<Sse> events = parse(stream.bodyAsString());
    List<String> types = events.stream().map(Sse::event).toList();
    assertThat(types.get(0)).isEqualTo("queued");
    assertThat(types.get(types.size() - 1)).isEqualTo("completed");
    assertThat(types).containsSubsequence("stage_started", "diffusion_step", "completed");
    assertThat(
            events.stream()
                .filter(e -> e.event().equals("diffusion_step"))
                .map(e -> e.data().getInteger("step")))
        .containsExactly(1, 2, 3);
    assertThat(events)
        .allMatch(
            e ->
                e.id().equals(e.data().getString("id"))
                    && e.event().equals(e.data().getString("type")))
        .allMatch(e -> e.data().getString("job_id").equals(id));
    assertThat(events.stream().filter(e -> e.event().equals("diffusion_step")))
        .allMatch(
            e -> e.data().getJsonObject("preview") != null && e.data().getDouble("sigma") != null);
    for (int i = 1; i < events.size(); i++) {
      assertThat(order(events.get(i).id())).isGreaterThan(order(events.get(i - 1).id()));
    }

    List<Sse> resumed = parse(events(id, events.get(2).id()).bodyAsString());
    assertThat(resumed.stream().map(Sse::id))
        .containsExactlyElementsOf(events.subList(3, events.size()).stream().map(Sse::id).toList());
    assertThat(parse(events(id, events.get(events.size() - 1).id()).bodyAsString())).isEmpty();

    JsonObject done = node.valid("getJob", node.get("/v1/jobs/" + id));
    assertThat(done.getJsonObject("job").getString("state")).isEqualTo("succeeded");
    assertThat(done.getJsonObject("job").getDouble("progress")).isEqualTo(1.0);
    assertThat(done.getJsonObject("result").getJsonArray("images")).hasSize(1);
    assertThat(done.getString("mode")).isEqualTo("txt2img");

    JsonObject page =
        node.valid(
            "streamJobEvents",
            node.http
                .get(node.diffusion.actualPort(), "localhost", "/v1/jobs/" + id + "/events")
                .putHeader("Accept", "application/json")
                .send()
                .await());
    assertThat(page.getJsonArray("events")).hasSize(events.size());
    JsonObject busPage =
        (JsonObject)
            node.vertx
                .eventBus()
                .request(
                    Addresses.Diffusion.STREAM_JOB_EVENTS,
                    new JsonObject().put("job_id", id).put("last_event_id", events.get(0).id()))
                .await()
                .body();
    assertThat(busPage.getJsonArray("events")).hasSize(events.size() - 1);
  }

  private static boolean denoising(String id) {
    return "denoise".equals(job(id).getJsonObject("job").getString("stage"));
  }

  private static java.math.BigInteger order(String streamId) {
    String[] parts = streamId.split("-");
    return new java.math.BigInteger(parts[0]).shiftLeft(64).add(new java.math.BigInteger(parts[1]));
  }

  @Test
  @DisplayName(
      "Cancelling a running job stops it at the next step; it ends cancelled, and cannot be cancelled twice")
  void cancelsARunningJob() {
    String id = create(generate(150, 4, 1024));
    node.waitUntil(() -> job(id).getJsonObject("job").getDouble("progress", 0.0) > 0, 30_000);
    JsonObject cancelled = node.valid("cancelJob", node.post("/v1/jobs/" + id + "/cancel", null));
    assertThat(cancelled.getString("state")).isEqualTo("cancelled");
    assertThat(job(id).getJsonObject("job").getString("state")).isEqualTo("cancelled");
    assertThat(job(id).containsKey("result")).isFalse();
    List<Sse> events = parse(events(id, null).bodyAsString());
    assertThat(events.get(events.size() - 1).event()).isEqualTo("cancelled");
    assertThat(events.stream().filter(e -> e.event().equals("diffusion_step")).count())
        .isLessThan(150L * 4);
    assertThat(
            problem(node.checked("cancelJob", node.post("/v1/jobs/" + id + "/cancel", null)), 409)
                .getString("detail"))
        .contains("already ended");
  }

  @Test
  @DisplayName("Past max-queued waiting generations, the service answers 503 with Retry-After")
  void boundsTheQueue() {
    // The cpu device runs two generations at once; one more may wait (diffusion.max-queued=1).
    String first = create(generate(150, 4, 1024));
    node.waitUntil(() -> denoising(first), 30_000);
    String second = create(generate(150, 4, 1024));
    node.waitUntil(() -> denoising(second), 30_000);
    String waiting = create(generate(150, 4, 1024));
    HttpResponse<Buffer> refused = node.post("/v1/generate", generate(1, 1, 64));
    node.valid("generate", refused);
    assertThat(problem(refused, 503).getString("detail")).contains("diffusion.max-queued");
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertThat(ok(node.post("/v1/jobs/" + waiting + "/cancel", null)).getString("state"))
        .isEqualTo("cancelled");
    for (String id : List.of(first, second)) {
      assertThat(ok(node.post("/v1/jobs/" + id + "/cancel", null)).getString("state"))
          .isEqualTo("cancelled");
    }
    node.waitUntil(() -> node.post("/v1/generate", generate(1, 1, 64)).statusCode() == 200, 30_000);
  }

  @Test
  @DisplayName(
      "A job that fails records the problem; unknown jobs are 404 and a bad Last-Event-ID is 400")
  void failuresAndUnknowns() {
    String id = create(generate(2, 1, 64).put("model", "broken"));
    node.waitUntil(() -> job(id).getJsonObject("job").getString("state").equals("failed"), 30_000);
    JsonObject error = job(id).getJsonObject("job").getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(422);
    assertThat(error.getString("detail")).contains("vae_decoder").contains("model.onnx");
    List<Sse> events = parse(events(id, null).bodyAsString());
    assertThat(events.get(events.size() - 1).event()).isEqualTo("failed");
    assertThat(events.get(events.size() - 1).data().getJsonObject("error").getInteger("status"))
        .isEqualTo(422);

    problem(node.checked("getJob", node.get("/v1/jobs/job_unknown0000")), 404);
    problem(node.checked("cancelJob", node.post("/v1/jobs/job_unknown0000/cancel", null)), 404);
    problem(node.checked("streamJobEvents", events("job_unknown0000", null)), 404);
    problem(node.checked("streamJobEvents", events(id, "yesterday")), 400);
    problem(
        node.post(
            "/v1/jobs", new JsonObject().put("generate", generate(2, 1, 64).put("width", 4096))),
        400);
    assertThat(
            problem(
                    node.post("/v1/jobs", new JsonObject().put("generate", generate(2, 1, 2048))),
                    422)
                .getString("detail"))
        .contains("max_size");
  }
}
