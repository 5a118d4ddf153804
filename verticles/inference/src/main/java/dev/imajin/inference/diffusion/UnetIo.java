package dev.imajin.inference.diffusion;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.imajin.inference.onnx.Tensors;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inputs and output of a model's UNet, found from what the session declares (MODELS.md rule 0):
 * by the usual names first, then by rank, since Olive leaves SDXL's extra inputs named {@code
 * onnx::Concat_4} and {@code onnx::Shape_5}. Unnamed rank-2 inputs are told apart by their declared
 * size ({@code time_ids} has 5 or 6 values) or else by order ({@code text_embeds} first, as every
 * exporter writes them).
 *
 * @param textEmbeds SDXL's pooled text embedding input, or null
 * @param timeIds SDXL's {@code time_ids} input, or null
 * @param timestepCond LCM's guidance embedding input, or null
 * @param channels the sample's channels: 4, or 9 for an inpainting UNet
 */
record UnetIo(
    NodeInfo sample,
    NodeInfo timestep,
    NodeInfo hiddenStates,
    NodeInfo textEmbeds,
    NodeInfo timeIds,
    NodeInfo timestepCond,
    String output,
    OnnxJavaType outputType,
    int channels) {

  static final int LATENT_CHANNELS = 4;
  static final int INPAINT_CHANNELS = 9;

  static UnetIo of(OrtSession unet, Optional<JsonObject> config) throws OrtException {
    Map<String, NodeInfo> left = new LinkedHashMap<>(unet.getInputInfo());
    NodeInfo sample = take(left, "sample", 4);
    NodeInfo timestep = take(left, "timestep", 0);
    if (timestep == null) {
      timestep = take(left, "timestep", 1);
    }
    NodeInfo hidden = take(left, "encoder_hidden_states", 3);
    NodeInfo cond = left.remove("timestep_cond");
    NodeInfo[] extras = sdxlInputs(left);
    if (sample == null || timestep == null || hidden == null || !left.isEmpty()) {
      throw new IllegalArgumentException(
          "the UNet's inputs "
              + unet.getInputNames()
              + " are not a UNet2DConditionModel's (sample, timestep, encoder_hidden_states, and"
              + " text_embeds + time_ids or timestep_cond)"
              + (left.isEmpty() ? "" : "; not understood: " + left.keySet()));
    }
    Map<String, NodeInfo> outputs = unet.getOutputInfo();
    NodeInfo out =
        outputs.containsKey("out_sample")
            ? outputs.get("out_sample")
            : outputs.values().iterator().next();
    checkAddEmbedding(extras, config);
    return new UnetIo(
        sample,
        timestep,
        hidden,
        extras[0],
        extras[1],
        cond,
        out.getName(),
        Tensors.info(out).type,
        channels(sample, config));
  }

  /**
   * SDXL's {@code text_embeds} and {@code time_ids}, by name, else among the unnamed rank-2 inputs;
   * removed from {@code left}. Both or neither.
   */
  private static NodeInfo[] sdxlInputs(Map<String, NodeInfo> left) {
    NodeInfo embeds = left.remove("text_embeds");
    NodeInfo timeIds = left.remove("time_ids");
    List<NodeInfo> rank2 = new ArrayList<>();
    left.values().stream().filter(n -> rank(n) == 2).forEach(rank2::add);
    if (timeIds == null) {
      timeIds =
          rank2.stream().filter(n -> lastDim(n) == 5 || lastDim(n) == 6).findFirst().orElse(null);
      rank2.remove(timeIds);
    }
    if (embeds == null && !rank2.isEmpty() && (timeIds != null || rank2.size() > 1)) {
      embeds = rank2.remove(0);
    }
    if (timeIds == null && !rank2.isEmpty()) {
      timeIds = rank2.remove(0);
    }
    if ((embeds == null) != (timeIds == null)) {
      throw new IllegalArgumentException(
          "the UNet has "
              + (embeds == null ? "time_ids but no text_embeds" : "text_embeds but no time_ids"));
    }
    if (embeds != null) {
      left.remove(embeds.getName());
      left.remove(timeIds.getName());
    }
    return new NodeInfo[] {embeds, timeIds};
  }

  /**
   * SDXL's additional embedding takes {@code addition_time_embed_dim} per time id plus the pooled
   * text embedding: with {@code unet/config.json} at hand, the inputs must add up to its {@code
   * projection_class_embeddings_input_dim} (diffusers refuses a mismatch too).
   */
  private static void checkAddEmbedding(NodeInfo[] extras, Optional<JsonObject> config) {
    if (extras[0] == null || config.isEmpty()) {
      return;
    }
    Integer perId = config.get().getInteger("addition_time_embed_dim");
    Integer total = config.get().getInteger("projection_class_embeddings_input_dim");
    long pooled = lastDim(extras[0]);
    long ids = lastDim(extras[1]);
    if (perId != null && total != null && pooled > 0 && ids > 0 && perId * ids + pooled != total) {
      throw new IllegalArgumentException(
          "the UNet's additional embedding takes "
              + total
              + " values (projection_class_embeddings_input_dim), but "
              + ids
              + " time_ids × "
              + perId
              + " (addition_time_embed_dim) + "
              + pooled
              + " pooled make "
              + (perId * ids + pooled));
    }
  }

  boolean xl() {
    return textEmbeds != null;
  }

  boolean lcm() {
    return timestepCond != null;
  }

  boolean inpainting() {
    return channels == INPAINT_CHANNELS;
  }

  OnnxJavaType sampleType() {
    return Tensors.info(sample).type;
  }

  /** The declared latent height and width, or -1 where they are dynamic. */
  long[] latentSize() {
    long[] shape = Tensors.info(sample).getShape();
    return new long[] {shape[2], shape[3]};
  }

  /** The declared last dimension of an input, or -1 when it is dynamic. */
  static long lastDim(NodeInfo node) {
    long[] shape = Tensors.info(node).getShape();
    return shape.length == 0 ? -1 : shape[shape.length - 1];
  }

  private static int channels(NodeInfo sample, Optional<JsonObject> config) {
    long declared = Tensors.info(sample).getShape()[1];
    int channels =
        declared > 0
            ? (int) declared
            : config.map(c -> c.getInteger("in_channels")).orElse(LATENT_CHANNELS);
    if (channels != LATENT_CHANNELS && channels != INPAINT_CHANNELS) {
      throw new IllegalArgumentException(
          "the UNet takes " + channels + " sample channels; imajin runs 4 (and 9 for inpainting)");
    }
    return channels;
  }

  /** The input with this name, else the first of this rank; removed from {@code left}. */
  private static NodeInfo take(Map<String, NodeInfo> left, String name, int rank) {
    NodeInfo named = left.remove(name);
    if (named != null) {
      return named;
    }
    for (NodeInfo n : left.values()) {
      if (rank(n) == rank) {
        return left.remove(n.getName());
      }
    }
    return null;
  }

  private static int rank(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo t ? t.getShape().length : -1;
  }
}
