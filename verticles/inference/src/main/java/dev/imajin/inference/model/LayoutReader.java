package dev.imajin.inference.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a {@link DiffusionLayout} from component paths and the folder's configuration files. */
final class LayoutReader {
  static final String INDEX = "model_index.json";
  static final String SCHEDULER_CONFIG = "scheduler/scheduler_config.json";

  /** Components whose {@code <name>/config.json} is read when present. */
  static final List<String> CONFIGURED =
      List.of("text_encoder", "text_encoder_2", "unet", "vae_encoder", "vae_decoder", "vae");

  private static final List<String> VAE_CONFIGS = List.of("vae_decoder", "vae_encoder", "vae");

  /** The ONNX graphs and tokenizers a layout is built from. */
  record Parts(
      Path folder,
      DiffusionLayout.Kind kind,
      Map<String, Path> onnx,
      Path tokenizer,
      Optional<Path> tokenizer2,
      Path schedulerConfig) {}

  private LayoutReader() {}

  static Map<String, JsonObject> configs(Path folder) {
    Map<String, JsonObject> configs = new LinkedHashMap<>();
    for (String component : CONFIGURED) {
      Json.readIfExists(configFile(folder, component)).ifPresent(c -> configs.put(component, c));
    }
    return configs;
  }

  static Path configFile(Path folder, String component) {
    return folder.resolve(component).resolve("config.json");
  }

  static DiffusionLayout build(Parts parts, Map<String, JsonObject> configs) {
    Path folder = parts.folder();
    boolean xl = parts.onnx().containsKey("text_encoder_2");
    Optional<JsonObject> index = Json.readIfExists(folder.resolve(INDEX));
    if (!Files.isRegularFile(parts.schedulerConfig())) {
      throw new ModelException(
          parts.schedulerConfig() + ": is missing; the scheduler's configuration is required");
    }
    if (xl && parts.tokenizer2().isEmpty()) {
      throw new ModelException(
          folder.resolve("tokenizer_2") + ": is missing; an SDXL model needs its second tokenizer");
    }
    List<String> warnings = new ArrayList<>();
    return new DiffusionLayout(
        folder,
        parts.kind(),
        index.map(i -> i.getValue("_class_name")).map(Object::toString).orElse(""),
        parts.onnx().get("text_encoder"),
        Optional.ofNullable(parts.onnx().get("text_encoder_2")),
        parts.onnx().get("unet"),
        Optional.ofNullable(parts.onnx().get("vae_encoder")),
        parts.onnx().get("vae_decoder"),
        parts.tokenizer(),
        parts.tokenizer2(),
        Json.read(parts.schedulerConfig()),
        configs,
        scalingFactor(folder, configs, xl, warnings),
        sampleSize(folder, configs, xl, warnings),
        forceZeros(folder, index, xl),
        warnings);
  }

  private static double scalingFactor(
      Path folder, Map<String, JsonObject> configs, boolean xl, List<String> warnings) {
    for (String component : VAE_CONFIGS) {
      JsonObject config = configs.get(component);
      Object value = config == null ? null : config.getValue("scaling_factor");
      if (value == null) {
        continue;
      }
      if (value instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
        return n.doubleValue();
      }
      throw new ModelException(
          configFile(folder, component)
              + ": scaling_factor: expected a positive number, was "
              + value);
    }
    double fallback = xl ? DiffusionLayout.SDXL_SCALING_FACTOR : DiffusionLayout.SD_SCALING_FACTOR;
    warnings.add(
        "no scaling_factor in vae_decoder/config.json, vae_encoder/config.json or"
            + " vae/config.json; using "
            + fallback
            + ", the "
            + (xl ? "SDXL" : "Stable Diffusion 1 and 2")
            + " value");
    return fallback;
  }

  private static int sampleSize(
      Path folder, Map<String, JsonObject> configs, boolean xl, List<String> warnings) {
    JsonObject unet = configs.get("unet");
    Object value = unet == null ? null : unet.getValue("sample_size");
    if (value == null) {
      int fallback = xl ? 128 : 64;
      warnings.add(
          "no sample_size in unet/config.json; using "
              + fallback
              + " (images of "
              + fallback * 8
              + " pixels by default)");
      return fallback;
    }
    if (value instanceof JsonArray pair
        && pair.size() == 2
        && pair.getValue(0) instanceof Integer
        && pair.getValue(0).equals(pair.getValue(1))) {
      value = pair.getValue(0);
    }
    if (value instanceof Integer size && size > 0) {
      return size;
    }
    throw new ModelException(
        configFile(folder, "unet")
            + ": sample_size: expected a positive whole number, was "
            + value);
  }

  private static boolean forceZeros(Path folder, Optional<JsonObject> index, boolean xl) {
    Object value = index.map(i -> i.getValue("force_zeros_for_empty_prompt")).orElse(null);
    if (value == null) {
      return xl;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw new ModelException(
        folder.resolve(INDEX)
            + ": force_zeros_for_empty_prompt: expected true or false, was "
            + value);
  }
}
