package dev.imajin.inference.diffusion;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.inference.model.DiffusionLayout;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelRegistry;
import dev.imajin.inference.runtime.LoadedModels;
import dev.imajin.inference.testing.SdPipelineFolder;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.inference.testing.SdVariant.Family;
import dev.imajin.inference.testing.TokenizerFixtures;
import dev.imajin.inference.testing.TokenizerFixtures.Form;
import dev.imajin.inference.testing.TokenizerFixtures.Pad;
import dev.imajin.inference.text.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixture pipeline folder of a variant, scanned by the real registry, its sessions opened on the
 * CPU and its tokenizers loaded: everything a {@link DiffusionPipeline} needs, without a GPU Boss.
 */
final class SdFixture implements AutoCloseable {
  static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  final SdVariant variant;
  final ModelEntry entry;
  final DiffusionLayout layout;
  final Map<String, OrtSession> sessions = new LinkedHashMap<>();
  final ClipTokenizer tokenizer;
  final ClipTokenizer tokenizer2;

  private SdFixture(SdVariant variant, ModelEntry entry, DiffusionLayout layout)
      throws OrtException {
    this.variant = variant;
    this.entry = entry;
    this.layout = layout;
    try {
      for (Map.Entry<String, Path> c : DiffusionPipeline.components(layout).entrySet()) {
        sessions.put(
            c.getKey(),
            ENV.createSession(c.getValue().toString(), new OrtSession.SessionOptions()));
      }
      tokenizer = ClipTokenizer.load(layout.tokenizer());
      tokenizer2 = layout.tokenizer2().map(ClipTokenizer::load).orElse(null);
    } catch (OrtException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Writes the variant under {@code dir}/model and opens it. */
  static SdFixture open(Path dir, SdVariant variant) throws IOException, OrtException {
    SdPipelineFolder.write(dir.resolve("model"), variant, SdFixture::tokenizers);
    return scan(dir, variant);
  }

  /** Opens the model folder already written at {@code dir}/model. */
  static SdFixture scan(Path dir, SdVariant variant) throws OrtException {
    ModelRegistry registry = ModelRegistry.scan(List.of(dir));
    if (registry.models().size() != 1) {
      throw new IllegalStateException(
          "expected one model in " + dir + ": " + registry.models() + registry.problems());
    }
    ModelEntry entry = registry.models().get(0);
    return new SdFixture(variant, entry, registry.layout(entry));
  }

  /** SD 1.x and SDXL's first tokenizer pad with the end token; SD 2.x and SDXL's second with !. */
  static void tokenizers(Path dir, Family family, int index) {
    boolean sd2 = family == Family.SD21 || family == Family.SD_TURBO;
    TokenizerFixtures.writeClip(
        dir, Form.VOCAB_AND_MERGES, index == 2 || sd2 ? Pad.EXCLAMATION : Pad.END_OF_TEXT);
  }

  DiffusionPipeline pipeline() {
    return pipeline(UnetWatch.NONE);
  }

  DiffusionPipeline pipeline(UnetWatch watch) {
    return pipeline(entry, watch);
  }

  /** A pipeline over these sessions for another entry (another family, say). */
  DiffusionPipeline pipeline(ModelEntry as, UnetWatch watch) {
    return new DiffusionPipeline(
        LoadedModels.of(as, sessions), layout, tokenizer, tokenizer2, watch);
  }

  @Override
  public void close() {
    for (OrtSession session : sessions.values()) {
      try {
        session.close();
      } catch (OrtException e) {
        // nothing to do in a test
      }
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
    if (tokenizer2 != null) {
      tokenizer2.close();
    }
  }
}
