package dev.imajin.inference.testing;

import static dev.imajin.inference.testing.SdVariant.Family.LCM;
import static dev.imajin.inference.testing.SdVariant.Family.SD15;
import static dev.imajin.inference.testing.SdVariant.Family.SD21;
import static dev.imajin.inference.testing.SdVariant.Family.SDXL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.imajin.inference.testing.OrtProbe.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Stable Diffusion fixture models")
class SdModelsTest {
  private static final long BATCH = 2;
  private static final int EOS = 49407;

  /** Expected I/O per component, written out by hand from MODELS.md §1.2–1.3. */
  static Stream<Arguments> variants() {
    String sd15Vae = "vae_encoder: sample:float[4] -> latent_sample:float[4]";
    String sd15Dec = "vae_decoder: latent_sample:float[4] -> sample:float[4]";
    String plainText = "input_ids:int32[2] -> last_hidden_state:float[3] pooler_output:float[2]";
    String xlText =
        "-> last_hidden_state:float[3] pooler_output:float[2] hidden_states.0..12:float[3]";
    String xlText2 =
        "-> text_embeds:float[2] last_hidden_state:float[3] hidden_states.0..32:float[3]";
    return Stream.of(
        variant(
            "diffusers script 2022-09, SD 1.5",
            SdVariant.diffusersScriptInt64(SD15),
            "text_encoder: " + plainText,
            "unet: sample:float[4] timestep:int64[1] encoder_hidden_states:float[3]"
                + " -> out_sample:float[4]",
            sd15Vae,
            sd15Dec),
        variant(
            "diffusers script 2022-11, SD 2.1",
            SdVariant.diffusersScript(SD21),
            "text_encoder: " + plainText,
            "unet: sample:float[4] timestep:float[1] encoder_hidden_states:float[3]"
                + " -> out_sample:float[4]",
            sd15Vae,
            sd15Dec),
        variant(
            "diffusers script --fp16, SD 1.5",
            SdVariant.diffusersScript(SD15).withFp16(true),
            "text_encoder: input_ids:int32[2] -> last_hidden_state:float16[3]"
                + " pooler_output:float16[2]",
            "unet: sample:float16[4] timestep:float16[1] encoder_hidden_states:float16[3]"
                + " -> out_sample:float16[4]",
            "vae_encoder: sample:float16[4] -> latent_sample:float16[4]",
            "vae_decoder: latent_sample:float16[4] -> sample:float16[4]"),
        variant(
            "Optimum 1.6, SD 1.5",
            SdVariant.optimum1_6(SD15),
            "text_encoder: " + plainText,
            "unet: sample:float[4] timestep:int64[1] encoder_hidden_states:float[3]"
                + " -> out_sample:float[4]",
            sd15Vae,
            sd15Dec),
        variant(
            "Optimum 1.23, SDXL",
            SdVariant.optimum1_23(SDXL),
            "text_encoder: input_ids:int32[2] " + xlText,
            "text_encoder_2: input_ids:int64[2] " + xlText2,
            "unet: sample:float[4] timestep:int64[1] encoder_hidden_states:float[3]"
                + " text_embeds:float[2] time_ids:float[2] -> out_sample:float[4]",
            "vae_encoder: sample:float[4] -> latent_parameters:float[4]",
            sd15Dec),
        variant(
            "Optimum 1.24, SD 1.5",
            SdVariant.optimum1_24(SD15),
            "text_encoder: input_ids:int64[2] -> last_hidden_state:float[3]"
                + " pooler_output:float[2]",
            "unet: sample:float[4] timestep:float[0] encoder_hidden_states:float[3]"
                + " -> out_sample:float[4]",
            "vae_encoder: sample:float[4] -> latent_parameters:float[4]",
            sd15Dec),
        variant(
            "Optimum 1.24 fp16, SDXL",
            SdVariant.optimum1_24(SDXL).withFp16(true),
            "text_encoder: input_ids:int64[2] " + xlText.replace("float", "float16"),
            "text_encoder_2: input_ids:int64[2] " + xlText2.replace("float", "float16"),
            "unet: sample:float16[4] timestep:float16[0] encoder_hidden_states:float16[3]"
                + " text_embeds:float16[2] time_ids:float16[2] -> out_sample:float16[4]",
            "vae_encoder: sample:float16[4] -> latent_parameters:float16[4]",
            "vae_decoder: latent_sample:float16[4] -> sample:float16[4]"),
        variant(
            "Optimum 1.24, LCM",
            SdVariant.optimum1_24(LCM),
            "text_encoder: input_ids:int64[2] -> last_hidden_state:float[3]"
                + " pooler_output:float[2]",
            "unet: sample:float[4] timestep:float[0] encoder_hidden_states:float[3]"
                + " timestep_cond:float[2] -> out_sample:float[4]",
            "vae_encoder: sample:float[4] -> latent_parameters:float[4]",
            sd15Dec),
        variant(
            "Olive, SD 1.5",
            SdVariant.olive(SD15),
            "text_encoder: input_ids:int32[2] -> last_hidden_state:float16[3]"
                + " pooler_output:float16[2]",
            "unet: sample:float16[4] timestep:float16[1] encoder_hidden_states:float16[3]"
                + " -> out_sample:float16[4]",
            "vae_encoder: sample:float16[4] -> latent_sample:float16[4]",
            "vae_decoder: latent_sample:float16[4] -> sample:float16[4]"),
        variant(
            "Olive, SDXL",
            SdVariant.olive(SDXL),
            "text_encoder: input_ids:int32[2] " + xlText.replace("float", "float16"),
            "text_encoder_2: input_ids:int32[2] " + xlText2.replace("float", "float16"),
            "unet: sample:float16[4] timestep:float16[1] encoder_hidden_states:float16[3]"
                + " onnx::Concat_4:float16[2] onnx::Shape_5:float16[2] -> out_sample:float16[4]",
            "vae_encoder: sample:float16[4] -> latent_sample:float16[4]",
            "vae_decoder: latent_sample:float16[4] -> sample:float16[4]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("Each model declares the exporter's input and output names, types and ranks")
  void declaresTheExportersSignature(String name, SdVariant variant, Map<String, String> expected)
      throws OrtException {
    Map<String, String> actual = new LinkedHashMap<>();
    for (var e : components(variant).entrySet()) {
      try (OrtSession session = OrtProbe.open(e.getValue())) {
        actual.put(e.getKey(), OrtProbe.signature(session));
      }
    }
    assertThat(actual).containsExactlyEntriesOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName(
      "Each model runs, gives outputs of the expected shape, and every output moves with every input")
  void runsAndDependsOnEveryInput(String name, SdVariant variant, Map<String, String> expected)
      throws OrtException {
    for (var e : components(variant).entrySet()) {
      String component = e.getKey();
      try (OrtSession session = OrtProbe.open(e.getValue())) {
        Map<String, Output> base = run(component, session, null);
        assertShapes(component, session, base);
        for (String input : session.getInputNames()) {
          Map<String, Output> moved = run(component, session, input);
          base.forEach(
              (output, value) ->
                  assertThat(moved.get(output).bytes())
                      .as("%s: %s after changing %s", component, output, input)
                      .isNotEqualTo(value.bytes()));
        }
      }
    }
  }

  @Test
  @DisplayName("Symbolic dimensions carry each exporter's names")
  void namesDynamicAxesLikeTheExporter() throws OrtException {
    assertThat(dims(SdVariant.optimum1_24(SDXL).unet().model()))
        .containsExactly(
            "sample[batch_size,4,height,width]",
            "timestep[]",
            "encoder_hidden_states[batch_size,sequence_length,80]",
            "text_embeds[batch_size,40]",
            "time_ids[batch_size,6]",
            "out_sample[batch_size,4,height,width]");
    assertThat(dims(SdVariant.optimum1_6(LCM).unet().model()))
        .containsExactly(
            "sample[batch_size,4,height,width]",
            "timestep[steps]",
            "encoder_hidden_states[batch_size,sequence_length,32]",
            "timestep_cond[batch_size,256]",
            "out_sample[batch_size,4,height,width]");
    assertThat(dims(SdVariant.diffusersScript(SD15).unet().model()))
        .containsExactly(
            "sample[batch,channels,height,width]",
            "timestep[batch]",
            "encoder_hidden_states[batch,sequence,32]",
            // declared [batch,channels,height,width]; ONNX Runtime infers the fixed 4
            "out_sample[batch,4,height,width]");
    assertThat(dims(SdVariant.optimum1_24(SD15).vae().encoder()))
        .containsExactly(
            "sample[batch_size,3,height,width]",
            "latent_parameters[batch_size,8,height_latent,width_latent]");
    assertThat(dims(SdVariant.optimum1_24(SD15).vae().decoder()))
        .containsExactly(
            "latent_sample[batch_size,4,height_latent,width_latent]",
            "sample[batch_size,3,height,width]");
    assertThat(dims(SdVariant.optimum1_24(SD15).textEncoder().model()))
        .containsExactly(
            "input_ids[batch_size,sequence_length]",
            "last_hidden_state[batch_size,sequence_length,32]",
            "pooler_output[batch_size,32]");
  }

  @Test
  @DisplayName("Four Euler steps from σ = 14.6 and a decode stay finite and in range")
  void shortDenoisingLoopStaysFinite() throws OrtException {
    for (SdVariant variant : List.of(SdVariant.optimum1_24(SD15), SdVariant.olive(SDXL))) {
      float[] image = denoiseAndDecode(variant);
      for (float v : image) {
        assertThat(v).as(variant.toString()).isFinite().isBetween(-1.5f, 1.5f);
      }
    }
  }

  @Test
  @DisplayName("A [n] timestep may hold one entry or one per batch row, as in the real UNet")
  void timestepBroadcastsOverTheBatch() throws OrtException {
    try (OrtSession unet = OrtProbe.open(SdVariant.optimum1_6(SD15).unet().model())) {
      Map<String, TensorInfo> infos = new LinkedHashMap<>();
      for (var e : unet.getInputInfo().entrySet()) {
        infos.put(e.getKey(), OrtProbe.info(e.getValue()));
      }
      float[][] outputs = new float[2][];
      for (long n : new long[] {1, BATCH}) {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        for (var e : infos.entrySet()) {
          inputs.put(e.getKey(), input("unet", e.getKey(), e.getValue(), 1, BATCH));
        }
        long[] shape = {n};
        inputs
            .put("timestep", OrtProbe.tensor(infos.get("timestep").type, shape, i -> 500))
            .close();
        outputs[(int) n - 1] = OrtProbe.run(unet, inputs).get("out_sample").values();
        inputs.values().forEach(OnnxTensor::close);
      }
      assertThat(outputs[1]).containsExactly(outputs[0]);
    }
  }

  @Test
  @DisplayName("The diffusers script has no SDXL or LCM export")
  void rejectsSdxlFromTheDiffusersScript() {
    assertThatThrownBy(() -> SdVariant.diffusersScript(SDXL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SdVariant.diffusersScriptInt64(LCM))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static Map<String, ModelProto> components(SdVariant variant) {
    Map<String, ModelProto> models = new LinkedHashMap<>();
    models.put("text_encoder", variant.textEncoder().model());
    variant.textEncoder2().ifPresent(spec -> models.put("text_encoder_2", spec.model()));
    models.put("unet", variant.unet().model());
    models.put("vae_encoder", variant.vae().encoder());
    models.put("vae_decoder", variant.vae().decoder());
    return models;
  }

  private static Arguments variant(String name, SdVariant variant, String... signatures) {
    Map<String, String> expected = new LinkedHashMap<>();
    for (String line : signatures) {
      int colon = line.indexOf(": ");
      expected.put(line.substring(0, colon), expandHiddenStates(line.substring(colon + 2)));
    }
    return Arguments.of(name, variant, expected);
  }

  /** {@code hidden_states.0..2:float[3]} → {@code hidden_states.0:float[3] … hidden_states.2:…}. */
  private static String expandHiddenStates(String signature) {
    Matcher m = Pattern.compile("hidden_states\\.0\\.\\.(\\d+)(:\\S+)").matcher(signature);
    if (!m.find()) {
      return signature;
    }
    List<String> states = new ArrayList<>();
    IntStream.rangeClosed(0, Integer.parseInt(m.group(1)))
        .forEach(k -> states.add("hidden_states." + k + m.group(2)));
    return m.replaceFirst(String.join(" ", states));
  }

  private static List<String> dims(ModelProto model) throws OrtException {
    try (OrtSession session = OrtProbe.open(model)) {
      List<String> all = new ArrayList<>(OrtProbe.dims(session.getInputInfo()));
      all.addAll(OrtProbe.dims(session.getOutputInfo()));
      return all;
    }
  }

  /**
   * Runs with fixed inputs; {@code changed} names one input filled from another seed instead
   * (another timestep, other token ids, other floats).
   */
  private static Map<String, Output> run(String component, OrtSession session, String changed)
      throws OrtException {
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
        String name = e.getKey();
        TensorInfo info = OrtProbe.info(e.getValue());
        long seed = name.hashCode() + (name.equals(changed) ? 1000 : 0);
        inputs.put(name, input(component, name, info, seed, BATCH));
      }
      return OrtProbe.run(session, inputs);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor input(
      String component, String name, TensorInfo info, long seed, long batch) throws OrtException {
    long[] shape = shape(component, name, info.getShape(), batch);
    SplittableRandom random = new SplittableRandom(seed);
    return switch (name) {
      case "input_ids" ->
          OrtProbe.tensor(info.type, shape, i -> i % 77 == 5 ? EOS : random.nextInt(EOS - 1));
      case "timestep" -> OrtProbe.tensor(info.type, shape, i -> random.nextInt(1000));
      case "time_ids", "onnx::Shape_5" ->
          OrtProbe.tensor(info.type, shape, i -> random.nextInt(1024));
      default -> OrtProbe.uniform(info.type, shape, seed, -1, 1);
    };
  }

  /** Concrete shapes: sequence 77, UNet latents 8×6, images 64×48 (batch 1), one timestep. */
  private static long[] shape(String component, String name, long[] declared, long batch) {
    if (name.equals("timestep")) {
      return declared.length == 0 ? new long[0] : new long[] {1};
    }
    if (name.equals("sample") && component.equals("vae_encoder")) {
      return new long[] {1, 3, 64, 48};
    }
    if (name.equals("sample") || name.equals("latent_sample")) {
      return new long[] {component.equals("unet") ? batch : 1, 4, 8, 6};
    }
    long[] shape = declared.clone();
    shape[0] = batch;
    for (int i = 1; i < shape.length; i++) {
      shape[i] = shape[i] < 0 ? 77 : shape[i];
    }
    return shape;
  }

  private static void assertShapes(String component, OrtSession session, Map<String, Output> out)
      throws OrtException {
    Map<String, NodeInfo> declared = session.getOutputInfo();
    out.forEach(
        (name, value) -> {
          long[] d = OrtProbe.info(declared.get(name)).getShape();
          long[] expected =
              switch (component) {
                case "unet" -> new long[] {BATCH, 4, 8, 6};
                case "vae_encoder" ->
                    new long[] {1, name.equals("latent_parameters") ? 8 : 4, 8, 6};
                case "vae_decoder" -> new long[] {1, 3, 64, 48};
                default -> d.length == 3 ? new long[] {BATCH, 77, d[2]} : new long[] {BATCH, d[1]};
              };
          assertThat(value.shape()).as("%s: %s", component, name).containsExactly(expected);
          for (float v : value.values()) {
            assertThat(v).as("%s: %s", component, name).isFinite();
          }
        });
  }

  /** Euler, trailing, 4 steps (MODELS.md §2.4), batch 1, then decode latents / scaling factor. */
  private static float[] denoiseAndDecode(SdVariant variant) throws OrtException {
    double[] sigmas = {14.61466, 4.08173, 1.61289, 0.69321, 0};
    int[] timesteps = {999, 749, 499, 249};
    SplittableRandom random = new SplittableRandom(7);
    long[] latentShape = {1, 4, 8, 6};
    double[] x = new double[4 * 8 * 6];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian() * sigmas[0];
    }
    try (OrtSession unet = OrtProbe.open(variant.unet().model());
        OrtSession decoder = OrtProbe.open(variant.vae().decoder())) {
      for (int step = 0; step < timesteps.length; step++) {
        double sigma = sigmas[step];
        double scale = 1 / Math.sqrt(sigma * sigma + 1);
        int t = timesteps[step];
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : unet.getInputInfo().entrySet()) {
          String name = e.getKey();
          TensorInfo info = OrtProbe.info(e.getValue());
          long[] timeShape = shape("unet", name, info.getShape(), 1);
          inputs.put(
              name,
              switch (name) {
                case "sample" -> OrtProbe.tensor(info.type, latentShape, i -> x[i] * scale);
                case "timestep" -> OrtProbe.tensor(info.type, timeShape, i -> t);
                default -> input("unet", name, info, name.hashCode(), 1);
              });
        }
        float[] eps = OrtProbe.run(unet, inputs).get("out_sample").values();
        inputs.values().forEach(OnnxTensor::close);
        for (int i = 0; i < x.length; i++) {
          x[i] += eps[i] * (sigmas[step + 1] - sigma);
        }
      }
      double factor = 1 / variant.family().scalingFactor();
      TensorInfo latent = OrtProbe.info(decoder.getInputInfo().get("latent_sample"));
      try (OnnxTensor z = OrtProbe.tensor(latent.type, latentShape, i -> x[i] * factor)) {
        return OrtProbe.run(decoder, Map.of("latent_sample", z)).get("sample").values();
      }
    }
  }
}
