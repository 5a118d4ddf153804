package dev.imajin.contracts.processing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageResult;
import dev.imajin.contracts.common.ModelRef;

/** The enlarged image, the factor, what ran, and the model when one ran. */
public record UpscaleResult(ImageResult image, int factor, Method method, ModelRef model)
    implements BusMessage {

  public enum Method {
    @JsonProperty("model")
    MODEL,
    @JsonProperty("lanczos")
    LANCZOS
  }
}
