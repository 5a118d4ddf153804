package dev.imajin.contracts.proxy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import java.util.List;

/** A high-level request for images, with optional overrides of what the steps would decide. */
public record GenerateRequest(
    String request,
    Integer count,
    String size,
    OutputFormat outputFormat,
    Integer quality,
    String category,
    String preset,
    String model,
    Long seed,
    List<TemplateVariable> variables,
    String overlayText)
    implements BusMessage {

  public static final int DEFAULT_COUNT = 1;

  public GenerateRequest {
    variables = variables == null ? null : List.copyOf(variables);
  }

  public enum OutputFormat {
    @JsonProperty("png")
    PNG,
    @JsonProperty("jpeg")
    JPEG,
    @JsonProperty("webp")
    WEBP
  }
}
