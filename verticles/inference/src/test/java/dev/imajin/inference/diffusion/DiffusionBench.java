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
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The pipeline's cost per step against the bare UNet {@code session.run} on inputs of the same
 * shapes, on a fixture whose UNet does real work (3x3 convolutions over the latents), and the
 * end-to-end time per image. The bare call runs just before each of the pipeline's UNet calls (a
 * {@link UnetWatch}), so that both take turns and drift in the machine's speed hits them alike; the
 * pipeline's step is its denoising time less those bare calls. Not a test: run it with {@code
 * tools/bench/diffusion.sh}. Options: {@code --size 512} (pixels), {@code --steps 20}, {@code
 * --channels 64} and {@code --layers 4} (the UNet's width and depth), {@code --rounds 5}, {@code
 * --guidance 7.5} (above 1: batch 2).
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
    DiffusionRequest request =
        RequestBuilder.txt2img()
            .size(size, size)
            .steps(steps)
            .guidance(guidance)
            .scheduler(SchedulerKind.EULER)
            .build();
    int batch = guidance > 1 ? 2 : 1;
    try (BareUnet bare = new BareUnet(f, batch, size / 8)) {
      DiffusionPipeline plain = f.pipeline();
      DiffusionPipeline interleaved = f.pipeline(bare);
      plain.generate(request, null, null);
      interleaved.generate(request, null, null);
      List<Double> bareMs = new ArrayList<>();
      List<Double> stepMs = new ArrayList<>();
      List<Double> glueMs = new ArrayList<>();
      List<Double> share = new ArrayList<>();
      List<GeneratedImages.Timings> ends = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        bare.reset();
        GeneratedImages.Timings t = interleaved.generate(request, null, null).timings();
        double bareEach = bare.ms() / steps;
        double step = (t.denoiseMs() - bare.ms()) / steps;
        bareMs.add(bareEach);
        stepMs.add(step);
        glueMs.add((t.denoiseMs() - bare.ms() - t.unetMs()) / steps);
        share.add(100 * (step / bareEach - 1));
        ends.add(plain.generate(request, null, null).timings());
      }
      System.out.printf(
          "UNet: %d 3x3 convolutions of %d channels over %dx%d latents (%dx%d pixels), batch %d;"
              + " %d steps, each preceded by a bare call; %d rounds; %d cores%n",
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
      System.out.printf("%-48s %10s %10s%n", "measure", "median", "min");
      row("bare UNet session.run, per call (ms)", bareMs);
      row("pipeline, per step (ms)", stepMs);
      row("  Java glue per step, outside the UNet's run (ms)", glueMs);
      System.out.printf("%-48s %10.2f%n", "pipeline step over bare call (%)", median(share));
      System.out.printf(
          "%-48s %10.2f%n", "Java glue over bare call (%)", 100 * median(glueMs) / median(bareMs));
      row(
          "end to end per image, no bare calls (ms)",
          values(ends, GeneratedImages.Timings::totalMs));
      row("  text encoding (ms)", values(ends, GeneratedImages.Timings::encodeMs));
      row("  denoising (ms)", values(ends, GeneratedImages.Timings::denoiseMs));
      row("  VAE decode and image (ms)", values(ends, GeneratedImages.Timings::decodeMs));
    }
  }

  /**
   * Runs the bare UNet session on fixed inputs of the pipeline's shapes just before each of the
   * pipeline's UNet calls, so both take turns on the machine, and adds up its time.
   */
  private static final class BareUnet implements UnetWatch, AutoCloseable {
    private final OrtSession unet;
    private final List<OnnxTensor> tensors = new ArrayList<>();
    private final Map<String, OnnxTensorLike> inputs = new LinkedHashMap<>();
    private long nanos;

    BareUnet(SdFixture f, int batch, int latent) throws Exception {
      unet = f.sessions.get(DiffusionPipeline.UNET);
      UnetIo io = f.pipeline().unet();
      float[] sample = new float[batch * 4 * latent * latent];
      new GaussianNoise(1).fill(sample);
      float[] ehs = new float[batch * 77 * SdVariant.TEXT_HIDDEN];
      new GaussianNoise(2).fill(ehs);
      add(
          io.sample().getName(),
          Tensors.of(SdFixture.ENV, io.sample(), sample, new long[] {batch, 4, latent, latent}));
      add(
          io.timestep().getName(),
          Tensors.scalarOrVector(SdFixture.ENV, io.timestep(), 500f, batch));
      add(
          io.hiddenStates().getName(),
          Tensors.of(
              SdFixture.ENV,
              io.hiddenStates(),
              ehs,
              new long[] {batch, 77, SdVariant.TEXT_HIDDEN}));
    }

    private void add(String name, OnnxTensor tensor) {
      tensors.add(tensor);
      inputs.put(name, tensor);
    }

    @Override
    public void calling(long[] sampleShape, float timestep) {
      long start = System.nanoTime();
      try (OrtSession.Result ignored = unet.run(inputs)) {
        nanos += System.nanoTime() - start;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    void reset() {
      nanos = 0;
    }

    double ms() {
      return nanos / 1e6;
    }

    @Override
    public void close() {
      tensors.forEach(OnnxTensor::close);
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

  private static void row(String what, List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    System.out.printf("%-48s %10.3f %10.3f%n", what, median(values), min);
  }

  private static List<Double> values(
      List<GeneratedImages.Timings> timings, ToDoubleFunction<GeneratedImages.Timings> value) {
    return timings.stream().map(value::applyAsDouble).toList();
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
