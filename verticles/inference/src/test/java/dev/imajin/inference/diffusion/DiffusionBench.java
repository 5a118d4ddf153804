package dev.imajin.inference.diffusion;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.onnx.Tensors;
import dev.imajin.inference.scheduler.GaussianNoise;
import dev.imajin.inference.scheduler.SchedulerKind;
import dev.imajin.inference.testing.OnnxFiles;
import dev.imajin.inference.testing.OnnxGraph;
import dev.imajin.inference.testing.SdPipelineFolder;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.inference.testing.SdVariant.Family;
import dev.imajin.inference.testing.SdVariant.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The pipeline's cost per step against the bare UNet {@code session.run} on identical inputs, on a
 * fixture whose UNet does real work (3x3 convolutions over the latents), and the end-to-end time
 * per image. Not a test: run it with {@code tools/bench/diffusion.sh}. Options: {@code --size 512}
 * (pixels), {@code --steps 20}, {@code --channels 64} and {@code --layers 4} (the UNet's width and
 * depth), {@code --rounds 5}, {@code --guidance 7.5} (above 1: batch 2).
 */
public final class DiffusionBench {
  private DiffusionBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    int size = Integer.parseInt(opts.getOrDefault("size", "512"));
    int steps = Integer.parseInt(opts.getOrDefault("steps", "20"));
    int channels = Integer.parseInt(opts.getOrDefault("channels", "64"));
    int layers = Integer.parseInt(opts.getOrDefault("layers", "4"));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
    float guidance = Float.parseFloat(opts.getOrDefault("guidance", "7.5"));
    Path dir = Files.createTempDirectory("diffusion-bench");
    try {
      SdVariant variant = SdVariant.optimum1_24(Family.SD15).withUnetWeights(WeightsFile.INLINE);
      SdPipelineFolder folder =
          SdPipelineFolder.write(dir.resolve("model"), variant, SdFixture::tokenizers);
      OnnxFiles.write(unet(channels, layers), folder.model("unet"));
      try (SdFixture f = SdFixture.scan(dir, variant)) {
        run(f, size, steps, channels, layers, rounds, guidance);
      }
    } finally {
      delete(dir);
    }
  }

  private static void run(
      SdFixture f, int size, int steps, int channels, int layers, int rounds, float guidance)
      throws Exception {
    DiffusionPipeline pipeline = f.pipeline();
    DiffusionRequest request =
        RequestBuilder.txt2img()
            .size(size, size)
            .steps(steps)
            .guidance(guidance)
            .scheduler(SchedulerKind.EULER)
            .build();
    int batch = guidance > 1 ? 2 : 1;
    OrtSession unet = f.sessions.get(DiffusionPipeline.UNET);
    pipeline.generate(request, null, null);
    bare(unet, pipeline.unet(), batch, size / 8, steps);
    List<Double> step = new ArrayList<>();
    List<Double> glue = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<Double> share = new ArrayList<>();
    List<Double> total = new ArrayList<>();
    List<Double> encode = new ArrayList<>();
    List<Double> decode = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      GeneratedImages.Timings t = pipeline.generate(request, null, null).timings();
      double bareMs = bare(unet, pipeline.unet(), batch, size / 8, steps);
      step.add(t.denoiseMs() / steps);
      glue.add((t.denoiseMs() - t.unetMs()) / steps);
      bare.add(bareMs);
      share.add(100 * (t.denoiseMs() / steps / bareMs - 1));
      total.add(t.totalMs());
      encode.add(t.encodeMs());
      decode.add(t.decodeMs());
    }
    System.out.printf(
        "UNet: %d 3x3 convolutions of %d channels over %dx%d latents (%dx%d pixels), batch %d;"
            + " %d steps; medians of %d rounds (each a pipeline run, then as many bare calls);"
            + " %d cores%n",
        layers + 2,
        channels,
        size / 8,
        size / 8,
        size,
        size,
        batch,
        steps,
        rounds,
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%-48s %10s%n", "measure", "ms");
    row("bare UNet session.run, per call", median(bare));
    row("pipeline, per step (denoise / steps)", median(step));
    row("  Java glue per step (outside the UNet's run)", median(glue));
    System.out.printf("%-48s %9.2f%%%n", "pipeline step over bare call (per round)", median(share));
    System.out.printf(
        "%-48s %9.2f%%%n", "Java glue over bare call", 100 * median(glue) / median(bare));
    row("end to end per image", median(total));
    row("  text encoding", median(encode));
    row("  VAE decode and image", median(decode));
  }

  /** Per-call ms of the bare session on the inputs the pipeline would give it. */
  private static double bare(OrtSession unet, UnetIo io, int batch, int latent, int calls)
      throws Exception {
    float[] sample = new float[batch * 4 * latent * latent];
    new GaussianNoise(1).fill(sample);
    float[] ehs = new float[batch * 77 * SdVariant.TEXT_HIDDEN];
    new GaussianNoise(2).fill(ehs);
    try (OnnxTensor x =
            Tensors.of(SdFixture.ENV, io.sample(), sample, new long[] {batch, 4, latent, latent});
        OnnxTensor t = Tensors.scalarOrVector(SdFixture.ENV, io.timestep(), 500f, batch);
        OnnxTensor h =
            Tensors.of(
                SdFixture.ENV,
                io.hiddenStates(),
                ehs,
                new long[] {batch, 77, SdVariant.TEXT_HIDDEN})) {
      Map<String, OnnxTensorLike> inputs =
          Map.of(
              io.sample().getName(), x, io.timestep().getName(), t, io.hiddenStates().getName(), h);
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        try (OrtSession.Result ignored = unet.run(inputs)) {
          // only the time counts
        }
      }
      return (System.nanoTime() - start) / 1e6 / calls;
    }
  }

  /** A UNet with the SD I/O whose work is {@code layers + 2} 3x3 convolutions. */
  static ModelProto unet(int channels, int layers) {
    OnnxGraph g = new OnnxGraph("unet");
    SplittableRandom random = new SplittableRandom(11);
    String sample = g.input("sample", DataType.FLOAT, "batch_size", 4, "height", "width");
    String t = g.input("timestep", DataType.FLOAT);
    String ehs =
        g.input(
            "encoder_hidden_states",
            DataType.FLOAT,
            "batch_size",
            "sequence_length",
            SdVariant.TEXT_HIDDEN);
    String h = conv(g, random, sample, 4, channels, true);
    for (int i = 0; i < layers; i++) {
      h = conv(g, random, h, channels, channels, true);
    }
    String out = conv(g, random, h, channels, 4, false);
    String mean =
        g.node("ReduceMean").in(ehs).attr("axes", new long[] {1}).attr("keepdims", 0).out();
    String text = g.op("MatMul", mean, g.floats(random, 0f, 0.05f, SdVariant.TEXT_HIDDEN, 4));
    String bias =
        g.op("Unsqueeze", g.op("Add", text, g.op("Mul", t, g.scalar(1e-4f))), g.longs(2, 3));
    g.output(
        "out_sample",
        g.op("Add", g.op("Add", out, sample), bias),
        DataType.FLOAT,
        "batch_size",
        4,
        "height",
        "width");
    return g.model();
  }

  private static String conv(
      OnnxGraph g, SplittableRandom random, String in, int from, int to, boolean relu) {
    float scale = (float) (1 / Math.sqrt(9.0 * from));
    String c =
        g.node("Conv")
            .in(in, g.floats(random, 0f, scale, to, from, 3, 3), g.floats(new float[to], to))
            .attr("pads", 1, 1, 1, 1)
            .out();
    return relu ? g.op("Relu", c) : c;
  }

  private static void row(String what, double ms) {
    System.out.printf("%-48s %10.3f%n", what, ms);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs: " + Arrays.toString(args));
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
