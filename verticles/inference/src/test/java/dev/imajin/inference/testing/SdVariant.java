package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.imajin.inference.testing.UnetSpec.Timestep;
import java.util.Optional;

/**
 * One Stable Diffusion export as a given exporter writes it (docs: MODELS.md §1): which pipeline,
 * and the types, names and layout of its ONNX files. The presets follow the exporter history of
 * MODELS.md §1.3; the withers make the odd cases (fp16 I/O, other external data names).
 *
 * <p>Sizes are tiny and fixed: text hidden size {@value #TEXT_HIDDEN} ({@code text_encoder}), SDXL
 * {@code text_encoder_2} hidden {@value #TEXT2_HIDDEN} with projection {@value #TEXT2_PROJECTION},
 * so the SDXL cross-attention size is {@code 32 + 48 = 80}. SDXL text encoders have the real layer
 * counts (12 and 32), so the penultimate states are {@code hidden_states.11} and {@code
 * hidden_states.31} as in the real models.
 */
public record SdVariant(
    Exporter exporter,
    Family family,
    DataType inputIds,
    DataType inputIds2,
    Timestep timestep,
    boolean latentParameters,
    boolean fp16,
    WeightsFile unetWeights) {

  public static final int TEXT_HIDDEN = 32;
  public static final int TEXT2_HIDDEN = 48;
  public static final int TEXT2_PROJECTION = 40;
  public static final int TIME_IDS = 6;
  public static final int LCM_TIME_COND = 256;

  /** The tool that wrote the export. */
  public enum Exporter {
    /** diffusers {@code scripts/convert_stable_diffusion_checkpoint_to_onnx.py}. */
    DIFFUSERS_SCRIPT,
    OPTIMUM,
    /** Microsoft Olive's SD example; its folder and model_index are not verified (MODELS.md). */
    OLIVE
  }

  /** The model family: pipeline class, scheduler, extra UNet inputs, VAE scale. */
  public enum Family {
    SD15("StableDiffusionPipeline", 64, 0.18215),
    SD21("StableDiffusionPipeline", 96, 0.18215),
    SDXL("StableDiffusionXLPipeline", 128, 0.13025),
    SD_TURBO("StableDiffusionPipeline", 64, 0.18215),
    SDXL_TURBO("StableDiffusionXLPipeline", 64, 0.13025),
    LCM("LatentConsistencyModelPipeline", 96, 0.18215);

    private final String pipelineClass;
    private final int unetSampleSize;
    private final double scalingFactor;

    Family(String pipelineClass, int unetSampleSize, double scalingFactor) {
      this.pipelineClass = pipelineClass;
      this.unetSampleSize = unetSampleSize;
      this.scalingFactor = scalingFactor;
    }

    public boolean xl() {
      return this == SDXL || this == SDXL_TURBO;
    }

    /** The diffusers pipeline class ({@code _class_name} of an Optimum model_index.json). */
    public String pipelineClass() {
      return pipelineClass;
    }

    /** UNet {@code sample_size}; the default image side is 8 times it. */
    public int unetSampleSize() {
      return unetSampleSize;
    }

    /** VAE {@code scaling_factor}, as written to the Optimum VAE configs. */
    public double scalingFactor() {
      return scalingFactor;
    }
  }

  /** Where the UNet's weights go. */
  public enum WeightsFile {
    INLINE(null),
    /** Optimum. */
    MODEL_ONNX_DATA("model.onnx_data"),
    /** {@code onnxruntime/sdxl-turbo}. */
    MODEL_ONNX_DOT_DATA("model.onnx.data"),
    /** diffusers script and Olive. */
    WEIGHTS_PB("weights.pb");

    public final String fileName;

    WeightsFile(String fileName) {
      this.fileName = fileName;
    }
  }

  public SdVariant {
    if (exporter == Exporter.DIFFUSERS_SCRIPT && (family.xl() || family == Family.LCM)) {
      throw new IllegalArgumentException("the diffusers script exports SD 1.x/2.x only: " + family);
    }
  }

  /** diffusers script, 2022-09-08 to 2022-11-07: int32 ids, int64 timestep [batch]. */
  public static SdVariant diffusersScriptInt64(Family family) {
    return new SdVariant(
        Exporter.DIFFUSERS_SCRIPT,
        family,
        DataType.INT32,
        DataType.INT32,
        Timestep.INT64_VECTOR,
        false,
        false,
        WeightsFile.WEIGHTS_PB);
  }

  /** diffusers script from 2022-11-08 (PR #1173): float timestep [batch]. */
  public static SdVariant diffusersScript(Family family) {
    return diffusersScriptInt64(family).withTimestep(Timestep.FLOAT_VECTOR);
  }

  /** Optimum 1.6 to 1.22: int32 ids (int64 for text_encoder_2), int64 timestep [steps]. */
  public static SdVariant optimum1_6(Family family) {
    return new SdVariant(
        Exporter.OPTIMUM,
        family,
        DataType.INT32,
        DataType.INT64,
        Timestep.INT64_VECTOR,
        false,
        false,
        WeightsFile.MODEL_ONNX_DATA);
  }

  /** Optimum 1.23: as 1.6, but the VAE encoder returns {@code latent_parameters}. */
  public static SdVariant optimum1_23(Family family) {
    return optimum1_6(family).withLatentParameters(true);
  }

  /** Optimum ≥ 1.24 and optimum-onnx: int64 ids, rank-0 float timestep. */
  public static SdVariant optimum1_24(Family family) {
    return optimum1_23(family)
        .withInputIds(DataType.INT64, DataType.INT64)
        .withTimestep(Timestep.FLOAT_SCALAR);
  }

  /** Olive: int32 ids, float timestep [batch], fp16 I/O, weights.pb. */
  public static SdVariant olive(Family family) {
    return new SdVariant(
        Exporter.OLIVE,
        family,
        DataType.INT32,
        DataType.INT32,
        Timestep.FLOAT_VECTOR,
        false,
        true,
        WeightsFile.WEIGHTS_PB);
  }

  public SdVariant withFp16(boolean fp16) {
    return new SdVariant(
        exporter, family, inputIds, inputIds2, timestep, latentParameters, fp16, unetWeights);
  }

  public SdVariant withInputIds(DataType inputIds, DataType inputIds2) {
    return new SdVariant(
        exporter, family, inputIds, inputIds2, timestep, latentParameters, fp16, unetWeights);
  }

  public SdVariant withLatentParameters(boolean latentParameters) {
    return new SdVariant(
        exporter, family, inputIds, inputIds2, timestep, latentParameters, fp16, unetWeights);
  }

  public SdVariant withTimestep(Timestep timestep) {
    return new SdVariant(
        exporter, family, inputIds, inputIds2, timestep, latentParameters, fp16, unetWeights);
  }

  public SdVariant withUnetWeights(WeightsFile unetWeights) {
    return new SdVariant(
        exporter, family, inputIds, inputIds2, timestep, latentParameters, fp16, unetWeights);
  }

  /**
   * Whether the folder follows Optimum (diffusers class names, per-component config.json) rather
   * than the diffusers script ({@code OnnxStableDiffusionPipeline}, no component configs). Olive SD
   * 1.x/2.x saves through {@code OnnxStableDiffusionPipeline}; Olive SDXL through Optimum's {@code
   * ORTStableDiffusionXLPipeline}.
   */
  public boolean optimumLayout() {
    return exporter == Exporter.OPTIMUM || (exporter == Exporter.OLIVE && family.xl());
  }

  public DataType floats() {
    return fp16 ? DataType.FLOAT16 : DataType.FLOAT;
  }

  public TextEncoderSpec textEncoder() {
    int layers = family.xl() ? 12 : 2;
    return new TextEncoderSpec(inputIds, floats(), TEXT_HIDDEN, layers, family.xl(), 0, axes());
  }

  /** SDXL's {@code text_encoder_2} ({@code CLIPTextModelWithProjection}). */
  public Optional<TextEncoderSpec> textEncoder2() {
    return family.xl()
        ? Optional.of(
            new TextEncoderSpec(
                inputIds2, floats(), TEXT2_HIDDEN, 32, true, TEXT2_PROJECTION, axes()))
        : Optional.empty();
  }

  public UnetSpec unet() {
    boolean xl = family.xl();
    boolean oliveNames = xl && exporter == Exporter.OLIVE;
    return new UnetSpec(
        floats(),
        timestep,
        xl ? TEXT_HIDDEN + TEXT2_HIDDEN : TEXT_HIDDEN,
        xl ? TEXT2_PROJECTION : 0,
        xl ? TIME_IDS : 0,
        family == Family.LCM ? LCM_TIME_COND : 0,
        oliveNames ? "onnx::Concat_4" : "text_embeds",
        oliveNames ? "onnx::Shape_5" : "time_ids",
        axes());
  }

  public VaeSpec vae() {
    return new VaeSpec(floats(), latentParameters, axes());
  }

  private AxisNames axes() {
    return exporter == Exporter.OPTIMUM ? AxisNames.OPTIMUM : AxisNames.DIFFUSERS_SCRIPT;
  }
}
