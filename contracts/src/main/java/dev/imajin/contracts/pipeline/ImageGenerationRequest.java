package dev.imajin.contracts.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Scheduler;

/** The OpenAI Images API request, plus imajin's own fields. Absent fields take their defaults. */
public record ImageGenerationRequest(
    String prompt,
    String model,
    Integer n,
    String size,
    ResponseFormat responseFormat,
    OutputFormat outputFormat,
    Integer outputCompression,
    Quality quality,
    Style style,
    Background background,
    Moderation moderation,
    String user,
    Long seed,
    String negativePrompt,
    Integer steps,
    Double guidance,
    Scheduler sampler,
    Checks checks)
    implements BusMessage {

  public static final int DEFAULT_N = 1;
  public static final String DEFAULT_SIZE = "auto";

  public enum ResponseFormat {
    @JsonProperty("b64_json")
    B64_JSON,
    @JsonProperty("url")
    URL
  }

  public enum OutputFormat {
    @JsonProperty("png")
    PNG,
    @JsonProperty("jpeg")
    JPEG,
    @JsonProperty("webp")
    WEBP
  }

  public enum Quality {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("low")
    LOW,
    @JsonProperty("medium")
    MEDIUM,
    @JsonProperty("high")
    HIGH,
    @JsonProperty("standard")
    STANDARD,
    @JsonProperty("hd")
    HD
  }

  public enum Style {
    @JsonProperty("vivid")
    VIVID,
    @JsonProperty("natural")
    NATURAL
  }

  public enum Background {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("transparent")
    TRANSPARENT,
    @JsonProperty("opaque")
    OPAQUE
  }

  public enum Moderation {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("low")
    LOW
  }
}
