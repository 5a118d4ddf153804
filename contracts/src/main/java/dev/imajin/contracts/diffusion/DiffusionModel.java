package dev.imajin.contracts.diffusion;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Scheduler;
import dev.imajin.contracts.common.Size;
import java.time.Instant;
import java.util.List;

/** A diffusion model of the registry: what it is, what it can do and whether it is loaded. */
public record DiffusionModel(
    String id,
    Family family,
    Variant variant,
    Layout layout,
    State state,
    String device,
    String error,
    PredictionType predictionType,
    List<GenerationMode> capabilities,
    Size nativeSize,
    Size maxSize,
    int sizeMultiple,
    Scheduler defaultScheduler,
    int defaultSteps,
    double defaultGuidance,
    List<Scheduler> schedulers,
    List<ModelComponent> components,
    Long bytes,
    String license,
    Instant loadedAt)
    implements BusMessage {

  public DiffusionModel {
    capabilities = List.copyOf(capabilities);
    schedulers = List.copyOf(schedulers);
    components = components == null ? null : List.copyOf(components);
  }

  public enum Family {
    @JsonProperty("sd1")
    SD1,
    @JsonProperty("sd2")
    SD2,
    @JsonProperty("sdxl")
    SDXL
  }

  public enum Variant {
    @JsonProperty("base")
    BASE,
    @JsonProperty("turbo")
    TURBO,
    @JsonProperty("lcm")
    LCM,
    @JsonProperty("inpainting")
    INPAINTING
  }

  public enum Layout {
    @JsonProperty("manifest")
    MANIFEST,
    @JsonProperty("optimum")
    OPTIMUM,
    @JsonProperty("diffusers_onnx")
    DIFFUSERS_ONNX,
    @JsonProperty("olive")
    OLIVE
  }

  public enum State {
    @JsonProperty("available")
    AVAILABLE,
    @JsonProperty("loading")
    LOADING,
    @JsonProperty("loaded")
    LOADED,
    @JsonProperty("unloading")
    UNLOADING,
    @JsonProperty("failed")
    FAILED
  }

  public enum PredictionType {
    @JsonProperty("epsilon")
    EPSILON,
    @JsonProperty("v_prediction")
    V_PREDICTION
  }
}
