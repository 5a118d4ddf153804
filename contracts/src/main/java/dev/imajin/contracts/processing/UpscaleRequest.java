package dev.imajin.contracts.processing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** Enlarge an image by an integer factor with an upscaler model or Lanczos resampling. */
public record UpscaleRequest(
    ImageData image, Integer factor, Method method, String model, OutputOptions output)
    implements BusMessage {

  public static final int DEFAULT_FACTOR = 2;

  public enum Method {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("model")
    MODEL,
    @JsonProperty("lanczos")
    LANCZOS
  }
}
