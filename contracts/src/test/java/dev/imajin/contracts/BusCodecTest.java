package dev.imajin.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.common.Job;
import dev.imajin.contracts.common.JobState;
import dev.imajin.contracts.pipeline.ImageGenerationRequest;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BusCodecTest {
  private final BusCodec codec = new BusCodec();

  @Test
  @DisplayName("A record crosses the wire as its class and JSON and comes back equal")
  void wireRoundTrip() {
    Job job =
        new Job(
            "job_0123456789",
            JobState.RUNNING,
            Instant.parse("2026-11-22T10:15:30Z"),
            null,
            null,
            0.5,
            "generate",
            "/v1/jobs/job_0123456789/events",
            null);
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, job);
    assertThat(codec.decodeFromWire(6, wire)).isEqualTo(job);
  }

  @Test
  @DisplayName("Enums travel as their contract values")
  void enumsUseContractValues() {
    ImageGenerationRequest request =
        Json.fromJson(
            new io.vertx.core.json.JsonObject()
                .put("prompt", "a red star")
                .put("sampler", "dpmpp_2m")
                .put("response_format", "b64_json"),
            ImageGenerationRequest.class);
    assertThat(request.sampler()).isEqualTo(dev.imajin.contracts.common.Scheduler.DPMPP_2M);
    assertThat(Json.toJson(request).encode())
        .isEqualTo(
            "{\"prompt\":\"a red star\",\"response_format\":\"b64_json\",\"sampler\":\"dpmpp_2m\"}");
  }

  @Test
  @DisplayName("A wire message naming a class that is not a bus message is refused")
  void refusesForeignTypes() {
    Buffer wire = Buffer.buffer();
    byte[] type = "java.lang.String".getBytes();
    wire.appendInt(type.length).appendBytes(type).appendInt(2).appendString("{}");
    assertThatThrownBy(() -> codec.decodeFromWire(0, wire))
        .hasMessageContaining("not a bus message");
  }

  @Test
  @DisplayName("Within a JVM the record is delivered as is")
  void localTransformIsIdentity() {
    Job job =
        new Job(
            "job_0123456789", JobState.QUEUED, Instant.EPOCH, null, null, null, null, "/x", null);
    assertThat(codec.transform(job)).isSameAs(job);
  }
}
